using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>
/// Every finite resource and how close a run (or a sweep's worst run) came to it, sorted by headroom so
/// the first to break is on top. To check a new resource, add a <see cref="ResourceProbe"/> to
/// <see cref="Probes"/>: the metric that measures its use and its capacity in the scenario.
/// </summary>
public static class LimitsReport
{
    /// <summary>The CSV columns, in order.</summary>
    public static readonly IReadOnlyList<string> Header = ["resource", "metric", "used", "capacity", "limit", "headroom", "point"];

    /// <summary>The resources checked.</summary>
    public static IReadOnlyList<ResourceProbe> Probes { get; } =
    [
        new("conntrack entries per node", ["conntrack_entries_peak"], s => ClusterOf(s).EffectiveConntrackMax, "nf_conntrack_max per node"),
        new("node SNAT ports per (node, destination)", ["snat_ports_per_destination_peak"], s => s.Egress.SnatPortRange.Size, "MASQUERADE port range"),
        new("gateway ports per (IP or VM block, destination)", ["nat_ports_per_destination_peak"], GatewayPortsPerDestination,
            "ports per IP (or per VM block) and the per-destination limit"),
        new("node CPU", ["node_cpu_utilization_max"], _ => 1, "all packet-processing cores busy"),
        new("link utilisation", ["link_utilization_max"], _ => 1, "busiest link saturated"),
        new("CoreDNS CPU", ["coredns_cpu_utilization_max"], _ => 1, "a CoreDNS replica's cores busy"),
        new("ingress controller CPU", ["ingress_cpu_utilization_max"], _ => 1, "an ingress controller's cores busy"),
        new("kube-proxy sync time", ["rule_sync_duration_p99_ms"], s => s.Cluster.KubeProxy.MinSyncPeriod.TotalSeconds * 1e3,
            "min-sync-period (a sync longer than it runs back to back)"),
        new("network programming latency", ["network_programming_latency_p99_ms"], _ => 30_000,
            "30 s p99 SLO (Kubernetes scalability SLO, network programming latency)"),
    ];

    /// <summary>
    /// The report over <paramref name="runs"/>: per probe, the run that came closest to the capacity of
    /// its own scenario (capacities may differ between sweep points), sorted by headroom, least first.
    /// </summary>
    public static IReadOnlyList<LimitLine> Of(IEnumerable<(ScenarioSpec Scenario, string Point, RunMetrics Metrics)> runs)
    {
        var list = runs.ToList();
        var lines = new List<LimitLine>();
        foreach (ResourceProbe probe in Probes)
        {
            if (probe.Metric is not string metric) continue;
            LimitLine? worst = null;
            foreach ((ScenarioSpec scenario, string point, RunMetrics metrics) in list)
            {
                if (probe.Capacity(scenario) is not double capacity) continue;
                double used = MetricCatalog.Value(metrics, metric);
                // Nothing measured (no sync in the window, no such traffic): no figure to hold against the limit.
                if (double.IsNaN(used)) continue;
                var line = new LimitLine(probe.Resource, metric, used, capacity, probe.Limit, point);
                if (worst is null || line.Headroom < worst.Headroom) worst = line;
            }
            if (worst is not null) lines.Add(worst);
        }
        return [.. lines.OrderBy(line => line.Headroom).ThenBy(line => line.Resource, StringComparer.Ordinal)];
    }

    /// <summary>The report over a sweep's results (each row's own point scenario).</summary>
    public static IReadOnlyList<LimitLine> Of(ResolvedScenario resolved, RunReport report) =>
        Of(report.Results.Select(row =>
        {
            SweepPoint point = resolved.Points.First(candidate => candidate.Index == row.PointIndex);
            return (point.Scenario, point.Key, row.Metrics);
        }));

    /// <summary>The report as a CSV table.</summary>
    public static CsvTable Table(IReadOnlyList<LimitLine> lines) => new(Header, [.. lines.Select(line => (IReadOnlyList<string>)
        [line.Resource, line.Metric, MetricColumns.FormatDouble(line.Used), MetricColumns.FormatDouble(line.Capacity), line.Limit,
         MetricColumns.FormatDouble(line.Headroom), line.Point])]);

    /// <summary>The gateway's per-destination capacity: what one allocation unit (IP or VM block) may hold toward one destination.</summary>
    private static double? GatewayPortsPerDestination(ScenarioSpec scenario)
    {
        NatGatewaySpec gateway = scenario.Egress.NatGateway;
        return Math.Min(gateway.MaxConnectionsPerDestination, gateway.PortsPerVm > 0 ? gateway.PortsPerVm : gateway.PortsPerIp);
    }

    private static ClusterOptions ClusterOf(ScenarioSpec scenario) => ClusterOptionsBuilder.ClusterOptionsOf(scenario);
}
