using System.Globalization;
using System.Text.Json.Nodes;
using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>
/// One-at-a-time sensitivity: every numeric parameter of the resolved scenario (counts, rates, sizes,
/// durations, probabilities) is set 10 % lower and 10 % higher, each alone, and run with the base's
/// seeds (common random numbers; counts under 5 move by one), so a difference is the parameter's doing and not luck. A metric
/// moves when the mean of its paired differences lies outside their 95% interval; a parameter under
/// which no metric changes by even one event, either way, moves nothing: irrelevant to this scenario,
/// or silently ignored (a bug).
/// </summary>
/// <param name="runner">Runs one simulation.</param>
/// <param name="scenarioWith">The resolved scenario with overrides (<c>path=value</c>) applied; throws <see cref="ScenarioException"/> for one it refuses.</param>
public sealed class SensitivityAnalysis(IPointRunner runner, Func<IReadOnlyList<string>, ScenarioSpec> scenarioWith)
{
    /// <summary>The relative perturbation.</summary>
    public const double Step = 0.10;

    /// <summary>Keys that name, seed or size the experiment rather than the system.</summary>
    private static readonly string[] NotParameters = ["name", "description", "expectedResult", "seed", "replications", "sweep", "duration", "warmup"];

    /// <summary>Metrics that count the simulator's own work, not the system's.</summary>
    private static readonly string[] NotSystemMetrics = ["events", "wall_seconds"];

    /// <summary>Runs the base and every perturbation; returns one result per (parameter, direction) that could be set.</summary>
    public SensitivityReport Run(int jobs, CancellationToken cancellationToken)
    {
        ScenarioSpec baseline = scenarioWith([]);
        int replications = Math.Max(2, baseline.Replications);
        var cases = new List<(string Path, double Factor, string Value, ScenarioSpec Scenario)>();
        var skipped = new List<string>();
        foreach ((string path, Func<double, string?> perturb) in Parameters(baseline))
        {
            foreach (double factor in (double[])[1 - Step, 1 + Step])
            {
                string? value = perturb(factor);
                if (value is null) continue;
                try
                {
                    cases.Add((path, factor, value, scenarioWith([$"{path}={value}"])));
                }
                catch (ScenarioException exception)
                {
                    skipped.Add($"{path}={value} ({exception.Problems[0].Message})");
                }
            }
        }

        ScenarioSpec[] scenarios = [baseline, .. cases.Select(c => c.Scenario)];
        var runs = new RunMetrics[scenarios.Length, replications];
        Parallel.For(0, scenarios.Length * replications, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs), CancellationToken = cancellationToken }, i =>
        {
            (int s, int r) = (i / replications, i % replications);
            runs[s, r] = runner.Run(scenarios[s], RandomStreams.DeriveMasterSeed(baseline.Seed, $"sensitivity#{r}"), cancellationToken);
        });

        string[] metrics = [.. MetricCatalog.Names.Where(name => !NotSystemMetrics.Contains(name))];
        var effects = new List<SensitivityEffect>();
        for (int c = 0; c < cases.Count; c++)
        {
            foreach (string metric in metrics)
            {
                double[] before = [.. Enumerable.Range(0, replications).Select(r => MetricCatalog.Value(runs[0, r], metric))];
                double[] after = [.. Enumerable.Range(0, replications).Select(r => MetricCatalog.Value(runs[c + 1, r], metric))];
                double[] differences = [.. after.Zip(before, (a, b) => a - b)];
                if (differences.All(d => d == 0 || double.IsNaN(d))) continue;
                (double mean, double ci95) = ReplicationSummary.Of(differences);
                double baseMean = before.Average();
                effects.Add(new SensitivityEffect(cases[c].Path, cases[c].Factor, cases[c].Value, metric, baseMean, after.Average(),
                    baseMean == 0 ? double.NaN : mean / Math.Abs(baseMean), Math.Abs(mean) > (double.IsFinite(ci95) ? ci95 : 0)));
            }
        }
        string[] inert = [.. cases.Select(c => c.Path).Distinct().Where(path => !effects.Any(effect => effect.Parameter == path))];
        return new SensitivityReport(effects, inert, skipped, cases.Count, replications);
    }

    /// <summary>Every numeric leaf of the scenario as a settable path and a way to scale its value (null when scaling does not change it).</summary>
    private static IEnumerable<(string Path, Func<double, string?> Perturb)> Parameters(ScenarioSpec scenario)
    {
        JsonNode root = JsonNode.Parse(ScenarioJson.Serialize(scenario))!;
        return Leaves(root, "").Where(leaf => !NotParameters.Contains(leaf.Path.Split('.', '[')[0]))
            .Select(leaf => (leaf.Path, Perturbation(leaf.Value))).Where(p => p.Item2 is not null).Select(p => (p.Path, p.Item2!));
    }

    private static IEnumerable<(string Path, JsonValue Value)> Leaves(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach ((string key, JsonNode? child) in obj)
                    if (child is not null)
                        foreach (var leaf in Leaves(child, path.Length == 0 ? key : $"{path}.{key}")) yield return leaf;
                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                    if (array[i] is JsonNode child)
                        foreach (var leaf in Leaves(child, $"{path}[{i}]")) yield return leaf;
                break;
            case JsonValue value:
                yield return (path, value);
                break;
        }
    }

    /// <summary>
    /// How to scale a leaf: numbers, and texts with a unit (durations, sizes, rates). Integers stay
    /// integers; one that 10 % does not change (a count under 5) moves by one instead.
    /// </summary>
    private static Func<double, string?>? Perturbation(JsonValue value)
    {
        if (value.TryGetValue(out long integer))
            return integer == 0 ? null : factor => (Changed((long)Math.Round(integer * factor), integer) ?? integer + (factor > 1 ? 1 : -1)).ToString(CultureInfo.InvariantCulture);
        if (value.TryGetValue(out double real))
            return real == 0 ? null : factor => (real * factor).ToString("R", CultureInfo.InvariantCulture);
        if (!value.TryGetValue(out string? text)) return null;
        if (SimTime.TryParse(text, out SimTime time, out _))
            return time.Nanoseconds == 0 ? null : factor => Changed((long)Math.Round(time.Nanoseconds * factor), time.Nanoseconds) is long ns ? new SimTime(ns).ToString() : null;
        if (ByteSize.TryParse(text, out ByteSize size, out _))
            return size.Bytes == 0 ? null : factor => Changed((long)Math.Round(size.Bytes * factor), size.Bytes) is long bytes ? new ByteSize(bytes).ToString() : null;
        if (DataRate.TryParse(text, out DataRate rate, out _))
            return rate.BitsPerSecond == 0 ? null : factor => new DataRate(rate.BitsPerSecond * factor).ToString();
        return null;
    }

    private static long? Changed(long scaled, long original) => scaled == original ? null : scaled;
}
