using System.Text.Json.Nodes;

namespace ClusterNetPerf.Scenarios.Tests.Running;

/// <summary>Reads run.json for comparisons: two runs of one scenario may differ only in its wall-clock fields.</summary>
internal static class RunJson
{
    /// <summary>The wall-clock fields of run.json.</summary>
    private static readonly string[] WallClockFields = ["wallSeconds", "eventsPerSecond", "peakMemoryBytes", "timings"];

    /// <summary>The run.json in <paramref name="directory"/>, parsed.</summary>
    public static JsonObject Read(string directory) => JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "run.json")))!.AsObject();

    /// <summary>The run.json in <paramref name="directory"/> without its wall-clock fields (each must be there).</summary>
    public static string WithoutWallClock(string directory)
    {
        JsonObject run = Read(directory);
        foreach (string field in WallClockFields)
            Assert.True(run.Remove(field), $"run.json has no {field}");
        return run.ToJsonString();
    }
}
