using System.Text.Json;
using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>
/// run.json: the resolved scenario, every run's seed, the program version and the whole-run counters.
/// <see cref="WallSeconds"/>, <see cref="EventsPerSecond"/> and <see cref="PeakMemoryBytes"/> are the
/// only fields that differ between two runs of the same scenario (0 with <c>--deterministic</c>).
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
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, ScenarioJson.Options) + "\n";
}
