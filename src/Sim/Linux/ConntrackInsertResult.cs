namespace ClusterNetPerf.Sim.Linux;

/// <summary>What happened to a request to create a conntrack entry.</summary>
public enum ConntrackInsertResult
{
    /// <summary>The entry was created (possibly after early-dropping a non-assured one).</summary>
    Inserted,
    /// <summary>The table was full and nothing could be early-dropped: the packet is dropped
    /// ("nf_conntrack: table full, dropping packet").</summary>
    TableFull,
    /// <summary>An entry with the same tuple (in either direction) exists: the insertion race
    /// Linux resolves by dropping the packet.</summary>
    Clash,
}
