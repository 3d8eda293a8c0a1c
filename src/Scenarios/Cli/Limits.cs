using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Cli;

/// <summary>What the pre-flight check holds a sweep to: a memory limit (<c>--max-memory</c>, else the machine's), or nothing with <c>--force</c>.</summary>
/// <param name="MaxMemory">The limit given with <c>--max-memory</c>, or null for the machine's available memory.</param>
/// <param name="Force">Run whatever the estimate says.</param>
internal sealed record Limits(ByteSize? MaxMemory, bool Force)
{
    /// <summary>The machine's memory, not forced: what a command without the options gets.</summary>
    public static Limits Machine { get; } = new(null, false);

    /// <summary>The memory limit in bytes and where it comes from, for the message.</summary>
    public (double Bytes, string Source) Memory => MaxMemory is ByteSize limit
        ? (limit.Bytes, "--max-memory")
        : (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, "the memory available to this process; --max-memory to set");
}
