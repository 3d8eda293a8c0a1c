using System.CommandLine;
using System.Globalization;
using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Cli;

/// <summary>The options shared by several commands, defined once so they read the same everywhere.</summary>
internal static class CliOptions
{
    public static Argument<string> Scenario() => new("study-or-file") { Description = "A scenario YAML file or the name of a shipped study (see 'list')." };

    public static Option<string?> Out(string description) => new("--out") { Description = description };

    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a scenario value: path=value, e.g. services.count=500 or workloads[0].responseSize=4KiB. Repeatable.",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    /// <summary>The most runs at once: more threads than this only add memory.</summary>
    public const int MaxJobs = 1024;

    public static Option<int> Jobs() => new("--jobs")
    {
        Description = "Runs at once (default: the number of cores).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
        CustomParser = result => ParseOrReport(result, "--jobs", $"an integer from 1 to {MaxJobs}",
            (string text, out int jobs) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out jobs) && jobs is >= 1 and <= MaxJobs),
    };

    public static Option<ulong?> Seed() => new("--seed")
    {
        Description = "Master seed (overrides the scenario's).",
        CustomParser = result => ParseOrReport<ulong?>(result, "--seed", "an unsigned 64-bit integer", (string text, out ulong? seed) =>
        {
            bool parsed = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value);
            seed = value;
            return parsed;
        }),
    };

    /// <summary>A limit in bytes with a unit, e.g. <c>8GiB</c>.</summary>
    public static Option<ByteSize?> MaxMemory() => new("--max-memory")
    {
        Description = "Refuse to start when the estimated peak memory of one run, times --jobs, is above this (default: the machine's available memory), e.g. 8GiB.",
        CustomParser = result => ParseOrReport<ByteSize?>(result, "--max-memory", "a size with a unit greater than zero, e.g. 8GiB", (string text, out ByteSize? limit) =>
        {
            bool parsed = ByteSize.TryParse(text, out ByteSize value, out _) && value.Bytes > 0;
            limit = value;
            return parsed;
        }),
    };

    public static Option<bool> Force() => new("--force")
    {
        Description = "Run even when the pre-flight estimate says the runs would not fit in memory or the sweep is very large.",
    };

    private delegate bool Parser<T>(string text, out T value);

    /// <summary>The option's one value parsed, or an error naming the option, what it expects and what it found.</summary>
    private static T? ParseOrReport<T>(System.CommandLine.Parsing.ArgumentResult result, string option, string expected, Parser<T> parse)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (parse(text, out T value)) return value;
        result.AddError($"{option}: expected {expected}, found '{text}'");
        return default;
    }

    public static Option<Shard?> ShardOption() => new("--shard")
    {
        Description = "Run shard I of N (0-based), every N-th run in canonical order; defaults to JOB_COMPLETION_INDEX/JOB_COMPLETIONS when set.",
        CustomParser = result => ParseOrReport<Shard?>(result, "--shard", "I/N with 0 <= I < N", (string text, out Shard? shard) =>
        {
            bool parsed = Shard.TryParse(text, out Shard value);
            shard = value;
            return parsed;
        }),
    };
}
