using System.CommandLine;
using System.Globalization;
using ClusterNetPerf.Scenarios.Capacity;
using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Cli;

/// <summary>
/// <c>clusternetperf headroom &lt;study-or-file&gt; --axis PATH --slo "METRIC&lt;VALUE" …</c>: the largest
/// value of one axis at which every SLO still holds (<see cref="HeadroomSearch"/>).
/// </summary>
internal static class HeadroomCommand
{
    public static Command Create(CliApplication application, IPointRunner runner, ScenarioLoader loader, ConsoleService console)
    {
        Argument<string> scenario = CliOptions.Scenario();
        Option<string> axis = new("--axis") { Description = "The scenario path to search, e.g. services.count, cluster.nodes or workloads[0].connectionsPerSecond.", Required = true };
        Option<string[]> slos = new("--slo")
        {
            Description = "An objective every point must meet: METRIC<VALUE (or <=, >, >=) on a points.csv column or a derived metric "
                + "such as connections_failed_fraction. Repeatable; all must hold.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        Option<string?> range = new("--range") { Description = "LO..HI, the values to search (default: the scenario's sweep values of the axis)." };
        Option<double?> resolution = new("--resolution") { Description = "The step the answer is found to (default: a hundredth of the range)." };
        Option<int?> maxReplications = new("--max-replications") { Description = "Replications a point whose interval straddles an SLO may grow to (default: 4 × the scenario's)." };
        Option<int> jobs = CliOptions.Jobs();
        Option<string[]> set = CliOptions.Set();
        Option<string?> output = CliOptions.Out("Output directory (default: results/<scenario name>/headroom); the run cache lives in its cache/ folder.");
        var command = new Command("headroom", "Find the largest value of one axis at which every SLO still holds (bracketing then bisection, with replications and confidence intervals).")
        {
            scenario, axis, slos, range, resolution, maxReplications, jobs, set, output,
        };
        command.SetAction(application.Guarded((parse, token) =>
        {
            string file = parse.GetValue(scenario)!;
            string path = parse.GetValue(axis)!;
            string[] sets = parse.GetValue(set)!;
            Slo[] objectives = [.. parse.GetValue(slos)!.Select(Slo.Parse)];
            ScenarioSpec ScenarioAt(string value) => loader.ResolveWithoutSweep(file, [.. sets, $"{path}={value}"]).Scenario;

            AxisRange grid = AxisRange.Parse(parse.GetValue(range) ?? DefaultRange(loader.Resolve(file, sets), path), parse.GetValue(resolution));
            ScenarioSpec low = ScenarioAt(grid.TextAt(0));
            var settings = new HeadroomSettings(path, objectives, grid)
            {
                Replications = Math.Max(2, low.Replications),
                MaxReplications = parse.GetValue(maxReplications) ?? 4 * Math.Max(2, low.Replications),
                Jobs = parse.GetValue(jobs),
            };
            if (settings.MaxReplications < settings.Replications)
                throw new ArgumentException($"--max-replications {settings.MaxReplications}: expected at least the scenario's {settings.Replications} replications");
            string directory = parse.GetValue(output) ?? Path.Combine("results", low.Name, "headroom");
            HeadroomResult result = new HeadroomSearch(runner, new RunCache(Path.Combine(directory, "cache")), ScenarioAt).Run(settings, token);
            foreach (string line in HeadroomWriter.Summary(result)) console.Info(line);
            foreach (string written in HeadroomWriter.Write(directory, result)) console.Info($"Wrote {written}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The sweep's values of the axis as LO..HI, when the scenario sweeps it with numbers.</summary>
    private static string DefaultRange(ResolvedScenario resolved, string axis)
    {
        SweepAxisSpec? swept = resolved.Scenario.Sweep.Axes.FirstOrDefault(candidate => candidate.Path == axis);
        double[] values = swept is null ? [] : [.. swept.Values.Select(value =>
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) ? number : double.NaN)];
        if (values.Length < 2 || values.Any(double.IsNaN))
            throw new ArgumentException($"--range: {resolved.Scenario.Name} does not sweep {axis} over numbers; give the values to search as --range LO..HI");
        return string.Create(CultureInfo.InvariantCulture, $"{values.Min():R}..{values.Max():R}");
    }
}
