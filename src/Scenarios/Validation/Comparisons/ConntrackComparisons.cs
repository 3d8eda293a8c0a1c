using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Statistics;
using static ClusterNetPerf.Scenarios.Validation.ValidationSuite;

namespace ClusterNetPerf.Scenarios.Validation.Comparisons;

/// <summary>kube-proxy's conntrack table size, and a table's occupancy against Little's law.</summary>
internal static class ConntrackComparisons
{
    private const string KubeProxyConntrackDefaults = "kubernetes/kubernetes pkg/proxy/apis/config/v1alpha1/defaults.go (release-1.33): conntrack maxPerCore 32,768, min 131,072; max = max(min, maxPerCore × cores)";

    public static IEnumerable<ValidationGroup> Groups()
    {
        var published = new (int Cores, long Max)[] { (2, 131_072L), (16, 524_288L) };
        ValidationRow[] sizes =
        [
            .. published.Select(p => Exact($"nf_conntrack_max set by kube-proxy on a {p.Cores}-core node", KubeProxyConntrackDefaults, p.Max,
                MaxFor(p.Cores), "ClusterOptions.EffectiveConntrackMax with no override.")),
        ];
        yield return new ValidationGroup(sizes, "conntrack-max", new Chart("nf_conntrack_max set by kube-proxy vs node cores", "cores", "nf_conntrack_max (entries)",
            [Series("model (ClusterOptions.EffectiveConntrackMax)", new[] { 1, 2, 4, 8, 16, 32, 64 }.Select(c => ((double)c, (double)MaxFor(c), 0.0)))])
        {
            Markers = [Series("kube-proxy defaults.go", published.Select(p => ((double)p.Cores, (double)p.Max, 0.0)))],
        });

        const double rate = 200;
        var timeouts = new ConntrackTimeouts();
        double littlesLaw = rate * timeouts.Udp.TotalSeconds;
        var live = new double[Replications];
        var counted = new double[Replications];
        for (int r = 0; r < Replications; r++)
            (live[r], counted[r]) = ConntrackOccupancyRun.Run(rate, timeouts, SimTime.FromSeconds(120), SimTime.FromSeconds(600), FirstSeed + (ulong)r);
        (double liveMean, double liveHalf) = ReplicationSummary.Of(live);
        (double countMean, double countHalf) = ReplicationSummary.Of(counted);
        ValidationRow[] occupancy =
        [
            new("conntrack live entries, 200 UDP flows/s held 30 s", "Little's law L = λW (closed form)", littlesLaw,
                liveMean, liveHalf, 0.02, false, "ConntrackTable fed Poisson UDP_REPLIED flows; entries not yet expired, sampled at arrivals."),
            new("nf_conntrack_count, same flows", "Little's law L = λW (closed form)", littlesLaw, countMean, countHalf, 0.02, true,
                "nf_conntrack_count also holds expired entries the GC worker has not reaped yet (ConntrackGcSchedule for the default kernel), "
                + "so it sits above λW by the GC lag; the live-entry row above is the one Little's law governs."),
        ];
        yield return new ValidationGroup(occupancy, "conntrack-occupancy", new Chart("conntrack entries, 200 UDP flows/s held 30 s", "measure", "entries (count)",
            [Categories("model (10 replications, 95 % CI)", [("live entries", liveMean, liveHalf), ("nf_conntrack_count", countMean, countHalf)])])
        {
            Markers = [Categories("Little's law λW", [("live entries", littlesLaw, 0), ("nf_conntrack_count", littlesLaw, 0)])],
            ErrorBars = true,
        });
    }

    private static long MaxFor(int cores) => new ClusterOptions { NodeCpus = cores }.EffectiveConntrackMax;
}
