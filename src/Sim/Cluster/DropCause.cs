namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// Why a message or a new connection was dropped. Each drop is counted once, under the cause
/// that dropped it; the names map onto the <c>drops_*</c> columns of the results.
/// </summary>
public enum DropCause
{
    /// <summary>A link's FIFO buffer was full (drop-tail).</summary>
    LinkBuffer,
    /// <summary>The node's conntrack table was full and no entry could be early-dropped.</summary>
    ConntrackFull,
    /// <summary>The node had no free source port toward the destination for MASQUERADE.</summary>
    SnatPorts,
    /// <summary>The Internet gateway could not allocate a public IP and port.</summary>
    NatPortExhausted,
    /// <summary>The service had no endpoint, or the chosen endpoint no longer exists.</summary>
    NoEndpoint,
    /// <summary>An eBPF map was full: a CT or NAT entry a plain hash map refused, or a Service the LB maps had no room for (Cilium).</summary>
    EbpfMapFull,
}
