using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Kernel.Sampling;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Workloads;
using ClusterNetPerf.Sim.Statistics;
using static ClusterNetPerf.Scenarios.Validation.ValidationSuite;

namespace ClusterNetPerf.Scenarios.Validation.Comparisons;

/// <summary>
/// Rule programming: network programming latency from whole-cluster runs with churn (the network-programming study's
/// set-up) against KEP-3453 and ClusterLoader2's SLO, and the sync cost functions against Huawei's KubeCon 2017 table
/// and the nftables sync reports.
/// </summary>
internal static class RuleProgrammingComparisons
{
    private const string Kep3453 = "kubernetes/enhancements keps/sig-network/3453-minimize-iptables-restore/README.md";
    private const string PerfTests2407 = "kubernetes/perf-tests#2407; kubernetes/community sig-scalability/slos/network_programming_latency.md";
    private const string Huawei = "Huawei, KubeCon EU 2017, \"Scale Kubernetes to Support 50,000 Services\" (table in kubernetes/community#692)";
    /// <summary>The Service count of the KEP-3453 runs (not published; docs/kube-proxy.md uses 3,000 × 10).</summary>
    private const int KepServices = 3_000;
    private static readonly KubeProxyRelease AllFull = KubeProxyRelease.Parse("1.26");
    private static readonly KubeProxyRelease FirstPartial = KubeProxyRelease.Parse("1.27");

    public static IEnumerable<ValidationGroup> Groups()
    {
        yield return Kep3453Group();
        yield return ClusterLoaderGroup();
        yield return HuaweiGroup();
        yield return NftablesSyncGroup();
    }

    private static ValidationGroup Kep3453Group()
    {
        double[] full10 = P50s(AllFull, SimTime.FromSeconds(10));
        double[] partial10 = P50s(FirstPartial, SimTime.FromSeconds(10));
        double[] partial1 = P50s(FirstPartial, SimTime.FromSeconds(1));
        (double partialMean, double partialHalf) = ReplicationSummary.Of([.. partial10.Zip(full10, (p, f) => p / f)]);
        (double minSyncMean, double minSyncHalf) = ReplicationSummary.Of([.. partial1.Zip(partial10, (a, b) => a / b)]);
        const string setUp = "Whole-cluster runs as the network-programming study (50 nodes × 200 pods, 3,000 Services × 10 endpoints, 20 pod restarts/s, "
            + "iptables-legacy); p50 of network_programming_duration per replication, ratio per replication. The KEP's absolute p50s are at 5,000 nodes "
            + "with Service counts it does not give, so the steps are compared as ratios.";
        ValidationRow[] rows =
        [
            new("KEP-3453: network programming p50 with partial restores ÷ every sync full (min-sync-period 10 s)", Kep3453, 13.0 / 27,
                partialMean, partialHalf, 0.10, true,
                setUp + " Releases 1.26 (every sync full) and 1.27 (partial, otherwise the same runner). The model saves about 5 %, the KEP half: with "
                + "iptables-legacy the model's sync cost is regenerating and replacing the whole table (kubernetes#138073), which partial restores "
                + "do not save; the KEP's halving says its syncs were dominated by the lines written (as with iptables-nft, not modelled). "
                + "Tolerance: 13 and 27 have two significant digits."),
            new("KEP-3453: network programming p50 with min-sync-period 1 s ÷ 10 s (partial restores)", Kep3453, 5.0 / 13,
                minSyncMean, minSyncHalf, 0.15, true,
                setUp + " Release 1.27. The model reproduces most of the step, not all of it: its p50 is the sync time plus the wait for the next "
                + "sync slot, and at 3,000 Services a sync takes about 3 s, so a 1 s period cannot cut the wait as much as in the KEP's runs "
                + "(shorter syncs). Tolerance: \"≈ 5 s\" has one significant digit (±10 %) and 13 two."),
        ];
        string[] names = ["1.26, every sync full, 10 s", "1.27, partial, 10 s", "1.27, partial, 1 s"];
        double[][] model = [full10, partial10, partial1];
        return new ValidationGroup(rows, "kep-3453", new Chart($"iptables network programming p50, {KepServices:N0} Services × 10 (model) vs KEP-3453 at 5,000 nodes",
            "kube-proxy release, restores, min-sync-period", "network programming p50 (s)",
            [Categories($"model ({ClusterReplications} replications, 95 % CI)", names.Zip(model, (name, values) =>
            {
                (double mean, double half) = ReplicationSummary.Of(values);
                return (name, mean, half);
            }))])
        {
            Markers = [Categories("KEP-3453 (5,000 nodes)", names.Zip([27.0, 13, 5], (name, value) => (name, value, 0.0)))],
            ErrorBars = true,
        });
    }

    private static ValidationGroup ClusterLoaderGroup()
    {
        int[] services = [1_000, 3_000, 5_000];
        var p99 = services.Select(s => ReplicationSummary.Of(Runs(s, KubeProxyRelease.Current, SimTime.FromSeconds(1), run => run.NetworkProgrammingLatencyP99Ms / 1_000))).ToArray();
        (double mean, double half) = p99[^1];
        ValidationRow[] rows =
        [
            new("Network programming latency p99 under the 30 s SLO, iptables, 5,000 Services × 10", PerfTests2407, 30, mean, half, 0, false,
                "Whole-cluster runs as the network-programming study, release 1.36, min-sync-period 1 s. Bound: ClusterLoader2's threshold; the "
                + "5,000-node runs of perf-tests#2407 pass it.") { UpperBound = true },
            new("Network programming latency p99 (s), iptables, 5,000 Services × 10", PerfTests2407, 10.5, mean, half, 0.5, false,
                "Same runs. perf-tests#2407 reports p99 ≈ 10–11 s at 5,000 nodes on AWS (20–25 s on GCE); the load test's Service and endpoint counts "
                + "were not found, so 5,000 × 10 is an assumption and the tolerance is wide (50 %)."),
        ];
        return new ValidationGroup(rows, "network-programming-slo", new Chart("iptables network programming p99 vs Services (10 endpoints, 20 restarts/s)", "Services", "network programming p99 (s)",
            [Series($"model, release 1.36 ({ClusterReplications} replications, 95 % CI)", services.Zip(p99, (s, p) => ((double)s, p.mean, p.halfWidth)))])
        {
            Markers = [Series("perf-tests#2407, AWS 5,000 nodes (Service count assumed)", [(5_000, 10.5, 0)])],
            Reference = new ChartReference(30, "SLO p99 30 s"),
            ErrorBars = true,
        });
    }

    private static double[] P50s(KubeProxyRelease release, SimTime minSyncPeriod) =>
        Runs(KepServices, release, minSyncPeriod, run => run.NetworkProgrammingLatencyP50Ms / 1_000);

    /// <summary>The network-programming study's set-up (src/Scenarios/Studies/network-programming.yaml) in iptables mode, replicated.</summary>
    private static double[] Runs(int services, KubeProxyRelease release, SimTime minSyncPeriod, Func<RunMetrics, double> figure)
    {
        var cluster = new ClusterOptions
        {
            Nodes = 50, PodsPerNode = 200, PodCidr = Ipv4Cidr.Parse("10.0.0.0/8"), NodeCidrPrefix = 24,
            ProxyMode = KubeProxyMode.Iptables, KubeProxyRelease = release, MinSyncPeriod = minSyncPeriod, SyncPeriod = SimTime.FromSeconds(30),
            WatchDelay = SimTime.FromMilliseconds(100), Services = services, EndpointsPerService = 10,
            PodRestartsPerSecond = 20, RestartDelay = SimTime.FromSeconds(5),
        };
        var calls = new WorkloadOptions { ConnectionsPerSecond = 50, Traffic = TrafficProfile.Default with { ResponseBytes = new DeterministicSampler(4096) } };
        return [.. Enumerable.Range(0, ClusterReplications).Select(r =>
            figure(ClusterSimulation.Run(cluster, [calls], SimTime.FromSeconds(20), SimTime.FromSeconds(60), FirstSeed + (ulong)r)))];
    }

    private static ValidationGroup HuaweiGroup()
    {
        // Huawei's table: 8 rules per Service, i.e. 2 endpoints each in today's layout (2 + 3n).
        var published = new (int Services, long Rules, double Seconds)[] { (1, 8, 0.002), (5_000, 40_000, 11 * 60), (20_000, 160_000, 5 * 3600) };
        int[] sweep = [1, 10, 100, 1_000, 5_000, 20_000];
        double[] seconds = [.. sweep.Select(s => FullIptablesSync(s).TotalSeconds)];
        double Exponent(double small, double large) => Math.Log(large / small) / Math.Log(20_000.0 / 5_000);
        double modelExponent = Exponent(seconds[^2], seconds[^1]);
        ValidationRow[] rows =
        [
            .. published.Skip(1).Select(p => new ValidationRow($"iptables nat rules, {p.Services:N0} Services × 2 endpoints", Huawei, p.Rules,
                RuleCountComparisons.NatRules(p.Services, 2), 0, 0.01, false, "IptablesRuleset closed form; the table's 8 rules per Service are today's 2 + 3n at n = 2.")),
            new("Rule programming time (s), 5,000 Services / 40,000 rules", Huawei, published[1].Seconds, seconds[^2], 0, 0.9, true,
                "Model: one full sync of release 1.26 (IptablesProxy.SyncDuration: generate, iptables-save and iptables-restore of the whole nat table). "
                + "Tolerance 90 %: down to a tenth of the published figure (an order of magnitude). Huawei's 2017 figures are the per-rule iptables-command era (each command rewrote the whole table, so "
                + "programming n rules cost ~n²); the model is iptables-restore, one pass over the table, about 400 × faster here."),
            new("Rule programming time growth exponent, 5,000 → 20,000 Services", Huawei, Exponent(published[1].Seconds, published[2].Seconds), modelExponent, 0, 0.25, true,
                "log(t(20,000) ÷ t(5,000)) ÷ log 4. Huawei's 11 min → 5 h is super-linear (exponent 2.4, the per-rule era's n²); one "
                + "iptables-restore pass is linear in lines (exponent 1)."),
        ];
        return new ValidationGroup(rows, "huawei-rule-programming", new Chart("iptables rule programming time vs Services (2 endpoints each)", "Services", "time (s)",
            [Series("model: one full sync, release 1.26", sweep.Zip(seconds, (s, t) => ((double)s, t, 0.0)))])
        {
            Markers = [Series("Huawei, KubeCon EU 2017", published.Select(p => ((double)p.Services, p.Seconds, 0.0)))],
            LogarithmicY = true,
        });
    }

    private static SimTime FullIptablesSync(int services)
    {
        IServiceProxy proxy = ProxyOf(KubeProxyMode.Iptables, services, 2);
        return proxy.SyncDuration(new SyncWork(0, Full: true, ChangedServices: services, SavesTable: true));
    }

    private static ValidationGroup NftablesSyncGroup()
    {
        const string pr126013 = "kubernetes/kubernetes#126013 (kind cluster)";
        // Catalog sizes: workload Services plus kube-dns (2 CoreDNS endpoints) and the ingress Service (2 controllers).
        double full135639 = NftablesSync(5_004, 50, full: true).TotalSeconds;
        double full139513 = NftablesSync(44_123, 1, full: true).TotalSeconds;
        double full126013 = NftablesSync(10_000, 2, full: true).TotalSeconds;
        double partial126013 = NftablesSync(10_000, 2, full: false).TotalSeconds;
        ValidationRow[] rows =
        [
            new("nftables full sync (s), 5,006 Services / 250,011 endpoints", "kubernetes/kubernetes#135639 (m6i.8xlarge, kernel 6.1)", 795, full135639, 0, 0.02, false,
                "MapLookupProxy.SyncDuration, full: listing + 0.41 µs × Services² + 3.14 ms × endpoints (250,204 modelled). A calibration check: "
                + "the full-sync fit passes through this report."),
            new("nftables full sync (s), 44,125 Services / 44,152 endpoints", "kubernetes/kubernetes#139513", 1_004, full139513, 0, 0.02, true,
                "Same function (44,127 endpoints modelled). The fit passes through 16 min 44 s less the 63 s the issue measured listing the table; "
                + "the model lists linearly (under a second here), the kernel super-linearly at that size, so the model is 6 % short."),
            new("nftables partial sync (s): add one Service at 10,000 Services × 2", pr126013, 0.141, partial126013, 0, 0.05, false,
                "Same function, one changed Service: listing (4.7 µs per object, derived from this figure) + 1 ms. A calibration check."),
            new("nftables full sync (s) at 10,000 Services × 2 (every sync full, before the PR)", pr126013, 8 * 60, full126013, 0, 0.5, true,
                "Same function. The fit through #135639 and #139513 gives a fifth of the PR's ≈ 8 min: three reports on three machines (a kind "
                + "cluster here) that no one quadratic passes through."),
        ];
        return new ValidationGroup(rows, "nftables-sync", new Chart("nftables sync time at the reported sizes", "Services", "sync time (s)",
        [
            Series("model: full sync", [(5_006, full135639, 0), (10_002, full126013, 0), (44_125, full139513, 0)]),
            Series("model: partial sync, one Service", [(10_002, partial126013, 0)]),
        ])
        {
            Markers =
            [
                Series("full: #135639, PR #126013, #139513", [(5_006, 795, 0), (10_002, 480, 0), (44_125, 1_004, 0)]),
                Series("partial: PR #126013", [(10_002, 0.141, 0)]),
            ],
            LogarithmicY = true,
        });
    }

    private static SimTime NftablesSync(int services, int endpoints, bool full) =>
        ProxyOf(KubeProxyMode.Nftables, services, endpoints).SyncDuration(new SyncWork(0, full, ChangedServices: 1, SavesTable: false));

    /// <summary>The kube-proxy of a cluster with <paramref name="services"/> workload Services, as a run builds it.</summary>
    private static IServiceProxy ProxyOf(KubeProxyMode mode, int services, int endpoints)
    {
        var simulator = new Simulator(FirstSeed);
        var options = new ClusterOptions { Nodes = 50, PodsPerNode = 100, Services = services, EndpointsPerService = endpoints, ProxyMode = mode };
        return new ClusterModel(simulator, options, new MetricsCollector(simulator), [TrafficProfile.Default]).Proxy;
    }
}
