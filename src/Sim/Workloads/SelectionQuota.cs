namespace ClusterNetPerf.Sim.Workloads;

/// <summary>
/// Which of a table's candidates, met one at a time in a known number, a table keeps when they are more
/// than it holds: a uniformly random subset of <see cref="Keep"/> of them (selection sampling, Knuth,
/// <i>TAOCP</i> vol. 2, 3.4.2, Algorithm S: each remaining one with probability keep / candidates), or,
/// for a table that evicts its least recently used, the <see cref="Keep"/> newest. O(1) a candidate.
/// </summary>
internal sealed class SelectionQuota
{
    /// <summary>Candidates not met yet.</summary>
    public long Candidates { get; set; }

    /// <summary>How many of those to keep.</summary>
    public long Keep { get; set; }

    /// <summary>Keep the last <see cref="Keep"/> met, not a uniform subset.</summary>
    public bool Newest { get; set; }

    /// <summary>Whether the next candidate is kept; draws from <paramref name="random"/> only when a choice is left.</summary>
    public bool Take(System.Random random)
    {
        bool keep = Keep >= Candidates || !Newest && random.NextDouble() * Candidates < Keep;
        Candidates--;
        if (keep) Keep--;
        return keep;
    }
}
