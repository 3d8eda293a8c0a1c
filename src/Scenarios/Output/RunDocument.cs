using System.Text.Json;
using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>
/// run.json: the resolved scenario, every run's seed, the program version, the whole-run counters and
/// each run's wall-clock time. <see cref="WallSeconds"/>, <see cref="EventsPerSecond"/>,
/// <see cref="PeakMemoryBytes"/> and <see cref="Timings"/> are the only fields that differ between two
/// runs of the same scenario; points.csv and summary.csv hold no wall-clock figure and do not differ.
/// </summary>
public sealed record RunDocument
{
    public const string FileName = "run.json";

    public required string ProgramVersion { get; init; }
    public required ScenarioSpec Scenario { get; init; }
    public required int Points { get; init; }
    public required int Runs { get; init; }
    public required IReadOnlyList<RunSeed> Seeds { get; init; }
    public required long Events { get; init; }
    public required double EventsPerSecond { get; init; }
    public required double WallSeconds { get; init; }
    public required long PeakMemoryBytes { get; init; }
    public required IReadOnlyList<RunTiming> Timings { get; init; }

    /// <summary>The document of <paramref name="report"/>.</summary>
    public static RunDocument Of(RunReport report)
    {
        string[] paths = [.. report.Axes.Select(axis => axis.Path)];
        return new RunDocument
        {
            ProgramVersion = Output.ProgramVersion.Text,
            Scenario = report.Scenario,
            Points = report.Scenario.Sweep.PointCount,
            Runs = report.Results.Count,
            Seeds = [.. report.Results.Select(result => new RunSeed(SweepPoint.KeyOf(paths, result.Values), result.Replication, result.Seed))],
            Events = report.Counters.Events,
            EventsPerSecond = report.Counters.EventsPerSecond,
            WallSeconds = report.Counters.WallSeconds,
            PeakMemoryBytes = report.Counters.PeakMemoryBytes,
            Timings = report.Counters.Timings,
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, ScenarioJson.Options) + "\n";
}
