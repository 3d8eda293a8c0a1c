using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>
/// Finds the largest value of one axis at which every SLO holds. Bracketing walks the grid at indices
/// 0, 1, 3, 7, 15, … (2^k − 1) from the low end until a point fails or the range ends; bisection then
/// halves the bracket down to one grid step. The bracketing indices do not depend on the range's high
/// end, so a second search with a wider range (same low end and resolution) meets the same points and
/// finds them in the <see cref="RunCache"/>.
/// </summary>
/// <remarks>
/// A point passes only when the 95% confidence bound on each SLO's unsafe side meets it. A point whose
/// interval straddles a threshold is run again with twice the replications, up to
/// <see cref="HeadroomSettings.MaxReplications"/>; still undecided, it fails. Replication r of every
/// point uses the same seed (common random numbers), so neighbouring points differ by the axis and not
/// by luck, and the verdicts are as monotone as the model is. Assumes the SLOs hold up to a threshold
/// and break beyond it; a non-monotone response is reported as found, at the point where the bracket
/// closed.
/// </remarks>
/// <param name="runner">Runs one simulation.</param>
/// <param name="cache">Runs already made; null for none.</param>
/// <param name="scenarioAt">The resolved scenario with the axis set to a value (as scenario text).</param>
public sealed class HeadroomSearch(IPointRunner runner, RunCache? cache, Func<string, ScenarioSpec> scenarioAt)
{
    private int _runs;

    /// <summary>Runs the search.</summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public HeadroomResult Run(HeadroomSettings settings, CancellationToken cancellationToken)
    {
        var tried = new SortedDictionary<int, HeadroomPoint>();
        HeadroomPoint Evaluate(int index)
        {
            if (!tried.TryGetValue(index, out HeadroomPoint? point))
                tried[index] = point = EvaluatePoint(settings, index, cancellationToken);
            return point;
        }

        AxisRange range = settings.Range;
        int last = range.LastIndex;
        int? lastPass = null;
        int? firstFail = null;
        for (int step = 0, index = 0; ; step++, index = Math.Min(last, (1 << Math.Min(step, 30)) - 1))
        {
            if (Evaluate(index).Passes) lastPass = index;
            else
            {
                firstFail = index;
                break;
            }
            if (index == last) break;
        }
        while (lastPass is int low && firstFail is int high && high - low > 1)
        {
            int middle = low + (high - low) / 2;
            if (Evaluate(middle).Passes) lastPass = middle;
            else firstFail = middle;
        }
        return new HeadroomResult(settings.Axis, range, [.. tried.Values],
            lastPass is int answer ? tried[answer] : null, firstFail is int fail ? tried[fail] : null, _runs);
    }

    private HeadroomPoint EvaluatePoint(HeadroomSettings settings, int index, CancellationToken cancellationToken)
    {
        string value = settings.Range.TextAt(index);
        ScenarioSpec scenario = scenarioAt(value);
        var runs = new List<RunMetrics>();
        int cached = 0;
        int target = Math.Max(2, settings.Replications);
        while (true)
        {
            cached += RunReplications(scenario, runs, target, settings.Jobs, cancellationToken);
            SloEstimate[] estimates = [.. settings.Slos.Select(slo => SloEstimate.Of(slo, [.. runs.Select(run => MetricCatalog.Value(run, slo.Metric))]))];
            if (!estimates.Any(estimate => estimate.Undecided) || target >= settings.MaxReplications)
                return new HeadroomPoint(index, value, runs.Count, cached, estimates);
            target = Math.Min(settings.MaxReplications, target * 2);
        }
    }

    /// <summary>Adds replications up to <paramref name="target"/> (in parallel, in replication order); returns how many came from the cache.</summary>
    private int RunReplications(ScenarioSpec scenario, List<RunMetrics> runs, int target, int jobs, CancellationToken cancellationToken)
    {
        int first = runs.Count;
        var results = new RunMetrics[target - first];
        int cached = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs), CancellationToken = cancellationToken };
        Parallel.For(0, results.Length, options, i =>
        {
            ulong seed = RandomStreams.DeriveMasterSeed(scenario.Seed, $"headroom#{first + i}");
            if (cache is not null && cache.TryGet(scenario, seed, out RunMetrics hit))
            {
                results[i] = hit;
                Interlocked.Increment(ref cached);
                return;
            }
            results[i] = runner.Run(scenario, seed, cancellationToken);
            Interlocked.Increment(ref _runs);
            cache?.Store(scenario, seed, results[i]);
        });
        runs.AddRange(results);
        return cached;
    }
}
