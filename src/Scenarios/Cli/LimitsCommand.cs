using System.CommandLine;
using System.Globalization;
using ClusterNetPerf.Scenarios.Capacity;
using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Cli;

/// <summary>
/// <c>clusternetperf limits &lt;study-or-file&gt;</c>: runs the scenario as one point and ranks every finite
/// resource by how close the run came to it (<see cref="LimitsReport"/>), as a table and limits.csv.
/// The top lines also close every <c>run</c> and <c>sweep</c> (<see cref="PrintSummary"/>).
/// </summary>
internal static class LimitsCommand
{
    /// <summary>Lines of the report that close a run or a sweep.</summary>
    public const int SummaryLines = 3;

    public static Command Create(CliApplication application, IPointRunner runner, ScenarioLoader loader, ConsoleService console)
    {
        Argument<string> scenario = CliOptions.Scenario();
        Option<string[]> set = CliOptions.Set();
        Option<int> jobs = CliOptions.Jobs();
        Option<string?> output = CliOptions.Out("Output directory for limits.csv (default: results/<scenario name>/limits).");
        var command = new Command("limits", "Run the scenario as one point (all replications) and rank every finite resource by headroom, the first to break on top.")
        {
            scenario, set, jobs, output,
        };
        command.SetAction(application.Guarded((parse, token) =>
        {
            ResolvedScenario resolved = loader.ResolveWithoutSweep(parse.GetValue(scenario)!, parse.GetValue(set)!);
            ScenarioSpec spec = resolved.Scenario;
            IReadOnlyList<SweepTask> tasks = SweepTask.All(resolved);
            var results = new (ScenarioSpec, string, Sim.Measurement.RunMetrics)[tasks.Count];
            Parallel.For(0, tasks.Count, new ParallelOptions { MaxDegreeOfParallelism = parse.GetValue(jobs), CancellationToken = token },
                i => results[i] = (tasks[i].Point.Scenario, "", runner.Run(tasks[i].Point.Scenario, tasks[i].Seed, token)));
            IReadOnlyList<LimitLine> lines = LimitsReport.Of(results);
            console.Grid(["resource", "used", "capacity", "headroom", "limit"], lines.Select(line => (IReadOnlyList<string>)
                [line.Resource, Number(line.Used), Number(line.Capacity), Percent(line.Headroom), line.Limit]));
            string directory = parse.GetValue(output) ?? Path.Combine("results", spec.Name, "limits");
            Directory.CreateDirectory(directory);
            string file = Path.Combine(directory, "limits.csv");
            LimitsReport.Table(lines).Write(file);
            console.Info($"{spec.Name}: worst of {tasks.Count} replications; wrote {file}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The top <see cref="SummaryLines"/> lines of the report over a finished run or sweep.</summary>
    public static void PrintSummary(ConsoleService console, ResolvedScenario resolved, RunReport report)
    {
        IReadOnlyList<LimitLine> lines = LimitsReport.Of(resolved, report);
        if (lines.Count == 0) return;
        console.Info("Closest to a limit (clusternetperf limits for all):");
        foreach (LimitLine line in lines.Take(SummaryLines))
            console.Info($"  {line.Resource}: {Number(line.Used)} of {Number(line.Capacity)}, headroom {Percent(line.Headroom)}"
                + (line.Point.Length > 0 ? $" at {line.Point}" : ""));
    }

    private static string Number(double value) => value.ToString("#,0.###", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) =>
        double.IsFinite(fraction) ? (100 * fraction).ToString("0.#", CultureInfo.InvariantCulture) + " %" : "none";
}
