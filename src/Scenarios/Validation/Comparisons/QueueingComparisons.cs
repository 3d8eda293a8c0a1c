using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Sim.Statistics;
using static ClusterNetPerf.Scenarios.Validation.ValidationSuite;

namespace ClusterNetPerf.Scenarios.Validation.Comparisons;

/// <summary>
/// The library's <see cref="Sim.Network.Cpu"/> queue against queueing theory: M/M/1 (mean wait and the 95th percentile
/// of the sojourn), M/D/1 (Pollaczek–Khinchine) and M/M/c with one shared queue (Erlang C), over utilisation. Times are
/// in mean service times, so the closed forms of <see cref="QueueingTheory"/> take μ = 1 and λ = ρc.
/// </summary>
internal static class QueueingComparisons
{
    private const string MM1 = "M/M/1 (closed form): Wq = ρ / (μ − λ); sojourn exponential of rate μ − λ";
    private const string MD1 = "M/D/1 (closed form): Pollaczek–Khinchine Wq = ρ / (2μ(1 − ρ))";
    private const string ErlangC = "M/M/c (closed form): Erlang C, Wq = C(c, λ/μ) / (cμ − λ)";
    private const int SharedCores = 4;
    private const double RowUtilisation = 0.7;
    private const int WarmUpJobs = 20_000;
    private const int Jobs = 200_000;
    private const string Method = "Cpu fed Poisson jobs straight into Process in arrival order; 20,000 jobs of warm-up from empty, then 200,000 measured "
        + "per replication; times in mean service times. Tolerance: twice the relative 95 % half-width (a closed form outside it is a model "
        + "error, not noise).";
    private static readonly double[] Utilisations = [0.3, 0.5, 0.7, 0.9];

    public static ValidationGroup Group()
    {
        var mm1 = Sweep(1, exponentialWork: true);
        var md1 = Sweep(1, exponentialWork: false);
        var mmc = Sweep(SharedCores, exponentialWork: true);
        int row = Array.IndexOf(Utilisations, RowUtilisation);
        ValidationRow[] rows =
        [
            Row("Cpu, 1 core, M/M/1 at ρ = 0.7: mean wait (mean service times)", MM1, QueueingTheory.MMcMeanWait(RowUtilisation, 1, 1), mm1[row], o => o.MeanWait),
            Row("Cpu, same M/M/1: 95th percentile of the sojourn (mean service times)", MM1, QueueingTheory.MM1SojournQuantile(RowUtilisation, 1, 0.95), mm1[row], o => o.SojournP95),
            Row("Cpu, 1 core, M/D/1 at ρ = 0.7: mean wait (mean service times)", MD1, QueueingTheory.MD1MeanWait(RowUtilisation, 1), md1[row], o => o.MeanWait),
            Row("Cpu, 4 cores sharing one queue, M/M/4 at ρ = 0.7: probability of waiting", ErlangC, QueueingTheory.ErlangC(RowUtilisation * SharedCores, SharedCores), mmc[row], o => o.WaitedFraction),
            Row("Cpu, same M/M/4: mean wait (mean service times)", ErlangC, QueueingTheory.MMcMeanWait(RowUtilisation * SharedCores, 1, SharedCores), mmc[row], o => o.MeanWait),
        ];
        var chart = new Chart("Cpu queue vs queueing theory over utilisation", "utilisation per core (ρ)", "time (mean service times)",
        [
            Line("model M/M/1 mean wait", mm1, o => o.MeanWait),
            Line("model M/M/1 p95 sojourn", mm1, o => o.SojournP95),
            Line("model M/D/1 mean wait", md1, o => o.MeanWait),
            Line("model M/M/4 mean wait", mmc, o => o.MeanWait),
        ])
        {
            Markers =
            [
                Theory("M/M/1 ρ / (1 − ρ)", u => QueueingTheory.MMcMeanWait(u, 1, 1)),
                Theory("M/M/1 ln 20 / (1 − ρ)", u => QueueingTheory.MM1SojournQuantile(u, 1, 0.95)),
                Theory("M/D/1 Pollaczek–Khinchine", u => QueueingTheory.MD1MeanWait(u, 1)),
                Theory("M/M/4 Erlang C", u => QueueingTheory.MMcMeanWait(u * SharedCores, 1, SharedCores)),
            ],
            ErrorBars = true,
            LogarithmicY = true,
        };
        return new ValidationGroup(rows, "cpu-queueing", chart);
    }

    /// <summary>Replications of the queue at each of <see cref="Utilisations"/>.</summary>
    private static CpuQueueRun.Outcome[][] Sweep(int cores, bool exponentialWork) =>
        [.. Utilisations.Select(u => Enumerable.Range(0, Replications)
            .Select(r => CpuQueueRun.Run(cores, u, exponentialWork, WarmUpJobs, Jobs, FirstSeed + (ulong)r)).ToArray())];

    private static ValidationRow Row(string what, string source, double closedForm, CpuQueueRun.Outcome[] replications, Func<CpuQueueRun.Outcome, double> figure)
    {
        (double mean, double half) = ReplicationSummary.Of([.. replications.Select(figure)]);
        return new ValidationRow(what, source, closedForm, mean, half, 2 * half / closedForm, false, Method);
    }

    private static ChartSeries Line(string name, CpuQueueRun.Outcome[][] sweep, Func<CpuQueueRun.Outcome, double> figure) =>
        Series(name + " (10 replications, 95 % CI)", Utilisations.Select((u, i) =>
        {
            (double mean, double half) = ReplicationSummary.Of([.. sweep[i].Select(figure)]);
            return (u, mean, half);
        }));

    private static ChartSeries Theory(string name, Func<double, double> closedForm) =>
        Series(name, Enumerable.Range(0, 13).Select(i => Math.Round(0.3 + 0.05 * i, 2)).Select(u => (u, closedForm(u), 0.0)));
}
