using System.CommandLine;
using System.Globalization;
using ClusterNetPerf.Scenarios.Capacity;
using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Cli;

/// <summary><c>clusternetperf run … --sensitivity</c>: every numeric parameter ±10 %, one at a time (<see cref="SensitivityAnalysis"/>).</summary>
internal static class SensitivityRun
{
    public static Option<bool> Option() => new("--sensitivity")
    {
        Description = "Instead of one run: set each numeric parameter 10 % lower and higher, one at a time, with the same seeds, "
            + "and report which metrics move and which parameters move nothing (sensitivity.csv).",
    };

    public static int Execute(IPointRunner runner, ScenarioLoader loader, ConsoleService console, string file, IReadOnlyList<string> sets, string? output, int jobs, CancellationToken token)
    {
        var analysis = new SensitivityAnalysis(runner, extra => loader.ResolveWithoutSweep(file, [.. sets, .. extra]).Scenario);
        SensitivityReport report = analysis.Run(jobs, token);
        string name = loader.ResolveWithoutSweep(file, sets).Scenario.Name;
        foreach ((string parameter, IReadOnlyList<SensitivityEffect> top) in report.Movers(3))
            console.Info($"{parameter} moves " + string.Join(", ", top.Select(effect =>
                $"{effect.Metric} {(double.IsNaN(effect.RelativeChange) ? "from 0" : (effect.RelativeChange * 100).ToString("+0.#;-0.#", CultureInfo.InvariantCulture) + " %")} at ×{effect.Factor.ToString("0.0", CultureInfo.InvariantCulture)}")));
        console.Info(report.Inert.Count == 0
            ? "Every parameter moved some metric."
            : $"Parameters that move nothing (irrelevant to this scenario, or ignored): {string.Join(", ", report.Inert)}");
        if (report.Skipped.Count > 0) console.Info($"Not perturbed: {string.Join("; ", report.Skipped)}");
        string directory = output ?? Path.Combine("results", name, "sensitivity");
        Directory.CreateDirectory(directory);
        string csv = Path.Combine(directory, "sensitivity.csv");
        report.Table().Write(csv);
        console.Info($"{name}: {report.Perturbations} perturbations x {report.Replications} replications; wrote {csv}");
        return ExitCodes.Ok;
    }
}
