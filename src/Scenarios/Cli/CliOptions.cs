using System.CommandLine;
using ClusterNetPerf.Scenarios.Running;

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

    public static Option<int> Jobs() => new("--jobs")
    {
        Description = "Runs at once (default: the number of cores).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
        Validators = { result => { if (result.GetValueOrDefault<int>() < 1) result.AddError("--jobs must be at least 1"); } },
    };

    public static Option<Shard?> ShardOption() => new("--shard")
    {
        Description = "Run shard I of N (0-based), every N-th run in canonical order; defaults to JOB_COMPLETION_INDEX/JOB_COMPLETIONS when set.",
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Shard.TryParse(text, out Shard shard)) return shard;
            result.AddError($"--shard: expected I/N with 0 <= I < N, found '{text}'");
            return null;
        },
    };
}
