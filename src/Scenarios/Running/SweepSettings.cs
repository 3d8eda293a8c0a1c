namespace ClusterNetPerf.Scenarios.Running;

/// <summary>How to run a sweep.</summary>
/// <param name="OutputDirectory">Where results and the completion log go.</param>
public sealed record SweepSettings(string OutputDirectory)
{
    /// <summary>Runs at once; defaults to the core count.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;
    /// <summary>The slice of the sweep to run; a partial shard writes points.csv and shard.json only.</summary>
    public Shard Shard { get; init; } = Shard.Whole;
    /// <summary>Skip the runs in the completion log of an interrupted sweep of the same scenario and shard.</summary>
    public bool Resume { get; init; }
}
