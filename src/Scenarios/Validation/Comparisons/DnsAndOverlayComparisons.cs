using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Workloads;
using static ClusterNetPerf.Scenarios.Validation.ValidationSuite;

namespace ClusterNetPerf.Scenarios.Validation.Comparisons;

/// <summary>CoreDNS's capacity per core (coredns/deployment Scaling_CoreDNS.md) and the VXLAN overhead (Calico docs).</summary>
internal static class DnsAndOverlayComparisons
{
    private const string ScalingCoreDns = "coredns/deployment kubernetes/Scaling_CoreDNS.md, \"CPU and QPS\"";
    private const string CalicoMtu = "https://docs.tigera.io/calico/latest/networking/configuring/mtu";
    /// <summary>33,669 queries/s on 1.9 cores (Scaling_CoreDNS.md): 17,720 per core.</summary>
    private const double PublishedQueriesPerCore = 33_669 / 1.9;

    public static IEnumerable<ValidationGroup> Groups()
    {
        yield return CoreDnsGroup();
        yield return OverlayGroup();
    }

    private static ValidationGroup CoreDnsGroup()
    {
        var costs = new DataPlaneCosts();
        // Lookups/s per run: each lookup of a Service of the pod's own namespace is an A and an AAAA query (ndots 5, first
        // search domain), so a replica (1 core) sees about lookups/s of queries: 25 %, 50 % and 75 % of its published capacity.
        double[] loads = [0.25, 0.5, 0.75];
        var utilization = new List<(double X, double Mean, double HalfWidth)>();
        (double Mean, double HalfWidth) perCore = default;
        foreach (double load in loads)
        {
            double lookupsPerSecond = load * PublishedQueriesPerCore;
            var runs = new RunMetrics[ClusterReplications];
            for (int r = 0; r < ClusterReplications; r++) runs[r] = CoreDnsRun(lookupsPerSecond, FirstSeed + (ulong)r);
            var (queriesMean, _) = Sim.Statistics.ReplicationSummary.Of([.. runs.Select(run => lookupsPerSecond * run.DnsQueriesPerLookup / Replicas)]);
            var (utilMean, utilHalf) = Sim.Statistics.ReplicationSummary.Of([.. runs.Select(run => run.CorednsCpuUtilizationMax)]);
            utilization.Add((queriesMean, utilMean, utilHalf));
            if (load == 0.5)
                perCore = Sim.Statistics.ReplicationSummary.Of([.. runs.Select(run => lookupsPerSecond * run.DnsQueriesPerLookup / Replicas / run.CorednsCpuUtilizationMax)]);
        }
        ValidationRow[] rows =
        [
            new("CoreDNS queries/s on 1.9 cores", ScalingCoreDns, 33_669, 1.9 / costs.DnsPerQuery.TotalSeconds, 0, 0.01, false,
                "1.9 cores ÷ DnsPerQuery. A calibration check, not an independent test: DnsPerQuery is derived from this figure."),
            new("CoreDNS queries/s per core, whole-cluster run at half a replica's capacity", ScalingCoreDns, PublishedQueriesPerCore,
                perCore.Mean, perCore.HalfWidth, 0.03, false,
                "4 nodes, 2 CoreDNS replicas of 1 core, pods looking up Services of their namespace (A and AAAA through the search list, conntrack and "
                + "kube-proxy on the way): queries reaching CoreDNS per replica ÷ the busiest replica's CPU. Tolerance: 1.9 cores has two "
                + "significant digits (±2.6 %)."),
        ];
        return new ValidationGroup(rows, "coredns", new Chart("CoreDNS replica CPU vs queries/s (1 core per replica)", "queries/s per replica", "CPU of the busiest replica (cores)",
            [Series($"model (whole-cluster runs, {ClusterReplications} replications, 95 % CI)", utilization)])
        {
            Markers = [Series("Scaling_CoreDNS.md: 33,669 q/s on 1.9 cores", utilization.Select(point => (point.X, point.X / PublishedQueriesPerCore, 0.0)))],
            ErrorBars = true,
        });
    }

    private const int Replicas = 2;

    private static RunMetrics CoreDnsRun(double lookupsPerSecond, ulong seed)
    {
        var cluster = new ClusterOptions { Nodes = 4, PodsPerNode = 10, Services = 20, EndpointsPerService = 3, Dns = new() { CoreDnsReplicas = Replicas, CoresPerReplica = 1 } };
        var dns = new WorkloadOptions { Kind = WorkloadKind.Dns, ConnectionsPerSecond = lookupsPerSecond };
        return ClusterSimulation.Run(cluster, [dns], SimTime.FromSeconds(1), SimTime.FromSeconds(4), seed);
    }

    private static ValidationGroup OverlayGroup()
    {
        var vxlan = new ClusterOptions { Cni = CniMode.Vxlan };
        ValidationRow[] rows =
        [
            Exact("VXLAN encapsulation overhead (bytes)", CalicoMtu + "; RFC 7348", 50, vxlan.CniOverheadBytes, "ClusterOptions.CniOverheadBytes with the VXLAN CNI."),
            Exact("Pod MTU inside VXLAN on a 1,500 B underlay", CalicoMtu, 1_450, vxlan.Mtu - vxlan.CniOverheadBytes, "ClusterOptions.Mtu − CniOverheadBytes."),
        ];
        string[] names = ["VXLAN overhead", "pod MTU in VXLAN"];
        return new ValidationGroup(rows, "overlay", new Chart("VXLAN on a 1,500 B underlay", "figure", "bytes",
            [Categories("model (ClusterOptions with the VXLAN CNI)", names.Zip(rows, (name, row) => (name, row.Simulated, 0.0)))])
        {
            Markers = [Categories("Calico docs", names.Zip(rows, (name, row) => (name, row.Published, 0.0)))],
            ErrorBars = true,
            LogarithmicY = true,
        });
    }
}
