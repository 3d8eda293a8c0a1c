using System.Globalization;
using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Estimates;

/// <summary>
/// The pre-flight check of a sweep: the <see cref="RunEstimate"/> of every point, the costliest run, the
/// whole sweep's events and its wall time at a typical event rate, and the refusal of what cannot fit
/// (memory) or would run absurdly long.
/// </summary>
/// <param name="Costliest">The estimate of the point with the largest peak memory.</param>
/// <param name="CostliestPoint">That point's key (<c>path=value,…</c>; empty without a sweep).</param>
/// <param name="LongestRunEvents">Events of the point with the most events.</param>
/// <param name="Runs">Runs in the sweep (points × replications).</param>
/// <param name="TotalEvents">Events over all runs.</param>
public sealed record Preflight(RunEstimate Costliest, string CostliestPoint, double LongestRunEvents, long Runs, double TotalEvents)
{
    /// <summary>Events a job processes per wall-clock second, about what the shipped studies reach on this project's 2-core machines.</summary>
    public const double EventsPerSecondPerJob = 1e6;

    /// <summary>A run of more events than this (about a day at <see cref="EventsPerSecondPerJob"/>) is refused without <c>--force</c>.</summary>
    public const double MaxEventsPerRun = 1e11;

    /// <summary>A sweep of more runs than this is refused without <c>--force</c>.</summary>
    public const long MaxRuns = 10_000;

    public static Preflight Of(ResolvedScenario resolved)
    {
        int replications = resolved.Scenario.Replications;
        List<(SweepPoint Point, RunEstimate Estimate)> points = [.. resolved.Points.Select(point => (point, RunEstimate.Of(point.Scenario)))];
        (SweepPoint costliestPoint, RunEstimate costliest) = points.MaxBy(entry => entry.Estimate.PeakMemoryBytes);
        return new Preflight(costliest, costliestPoint.Key, points.Max(entry => entry.Estimate.Events),
            (long)points.Count * replications, points.Sum(entry => entry.Estimate.Events) * replications);
    }

    /// <summary>The estimate as lines for the console.</summary>
    public IReadOnlyList<string> Describe(int jobs)
    {
        double wallSeconds = TotalEvents / (EventsPerSecondPerJob * Math.Max(1, Math.Min(jobs, Runs)));
        string where = CostliestPoint.Length == 0 ? "" : $" (at {CostliestPoint})";
        return
        [
            $"estimate, costliest run{where}: {Costliest.Describe()}",
            string.Create(CultureInfo.InvariantCulture,
                $"estimate, whole sweep: {Runs:N0} runs, {RunEstimate.Quantity(TotalEvents)} events, about {Duration(wallSeconds)} with {jobs} jobs"),
        ];
    }

    /// <summary>What would not fit in <paramref name="memoryLimitBytes"/> with <paramref name="jobs"/> runs at once, or would run absurdly long (empty when the sweep may start).</summary>
    public IReadOnlyList<ScenarioProblem> Problems(double memoryLimitBytes, string memoryLimitSource, int jobs)
    {
        var problems = new List<ScenarioProblem>();
        long atOnce = Math.Max(1, Math.Min(jobs, Runs));
        if (Costliest.PeakMemoryBytes * atOnce > memoryLimitBytes)
            problems.Add(Problem("peak memory", $"at most {RunEstimate.Bytes(memoryLimitBytes)} ({memoryLimitSource}) for {atOnce} runs at once",
                $"{atOnce} × {RunEstimate.Bytes(Costliest.PeakMemoryBytes)}"));
        if (LongestRunEvents > MaxEventsPerRun)
            problems.Add(Problem("events", string.Create(CultureInfo.InvariantCulture, $"at most {RunEstimate.Quantity(MaxEventsPerRun)} events in one run (about a day)"),
                RunEstimate.Quantity(LongestRunEvents)));
        if (Runs > MaxRuns)
            problems.Add(Problem("runs", string.Create(CultureInfo.InvariantCulture, $"at most {MaxRuns:N0} runs (points × replications)"),
                Runs.ToString("N0", CultureInfo.InvariantCulture)));
        return problems;
    }

    private static ScenarioProblem Problem(string what, string expected, string found) =>
        new("pre-flight estimate", what, $"{expected}; --force runs it anyway", found);

    private static string Duration(double seconds) => seconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(seconds):0} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min"),
        < 172800 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.#} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400:0.#e+0} days"),
    };
}
