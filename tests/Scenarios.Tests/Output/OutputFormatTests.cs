using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Measurement;

namespace ClusterNetPerf.Scenarios.Tests.Output;

public sealed class OutputFormatTests
{
    [Fact]
    public void MetricColumnsAreTheDesignsInItsOrder()
    {
        Assert.Equal(
            ["connections_offered", "connections_completed", "connections_failed", "setup_latency_p50_us", "setup_latency_p99_us",
             "setup_latency_p999_us", "request_latency_p50_us", "request_latency_p99_us", "throughput_gbps", "drops_link_buffer",
             "drops_conntrack_full", "drops_snat_ports", "drops_nat_port_exhausted", "drops_no_endpoint", "conntrack_entries_peak",
             "conntrack_entries_mean", "nat_ports_in_use_peak", "node_cpu_utilization_max",
             // Added after the first metric set, before the run counters.
             "ingress_cpu_utilization_max", "dns_lookup_p99_ms", "dns_lookups_timed_out", "events",
             "conntrack_early_drops", "conntrack_gc_evictions", "drops_ebpf_map_full", "ebpf_ct_entries_peak", "ebpf_nat_entries_peak",
             "ebpf_ct_evictions", "ebpf_nat_evictions", "lb_map_entries",
             // kube-proxy's and ClusterLoader2's names (rule_sync_latency_p99_ms became network_programming_latency_p99_ms).
             "network_programming_latency_p50_ms", "network_programming_latency_p90_ms", "network_programming_latency_p99_ms",
             "rule_sync_duration_p50_ms", "rule_sync_duration_p99_ms", "full_syncs", "partial_syncs", "iptables_nat_rules",
             "kube_proxy_sync_cpu_utilization_max",
             // What the limits report reads.
             "snat_ports_per_destination_peak", "nat_ports_per_destination_peak", "link_utilization_max", "coredns_cpu_utilization_max",
             "nat_allocations", "dns_queries_per_lookup"],
            MetricColumns.Names);
    }

    [Fact]
    public void DoublesRoundTripThroughTheCsvText()
    {
        var metrics = new RunMetrics { ThroughputGbps = 1.0 / 3, SetupLatencyP99Us = 123.456789e-7, ConntrackEntriesMean = double.Epsilon, Events = long.MaxValue };

        Assert.True(MetricColumns.TryParse([.. Enumerable.Range(0, MetricColumns.Count).Select(c => MetricColumns.Format(metrics, c))], out RunMetrics back));
        Assert.Equal(metrics, back);
    }

    [Fact]
    public void SummaryHasOneRowPerPointWithMeanAndCi()
    {
        var scenario = new ScenarioSpec { Name = "s", Sweep = new SweepSpec { Axes = [new SweepAxisSpec("services.count", ["1", "2"])] } };
        PointResult Run(int point, int replication, long events) =>
            new(point, [$"{point + 1}"], replication, (ulong)(point * 10 + replication), new RunMetrics { Events = events });
        var report = new RunReport(scenario, [Run(0, 0, 10), Run(0, 1, 20), Run(1, 0, 5), Run(1, 1, 5)], new RunCounters(40, 0, 0, []));

        CsvTable summary = SummaryCsv.ToTable(report, PointSummary.Of(report));

        Assert.Equal("services.count", summary.Header[0]);
        Assert.Equal(["connections_offered_mean", "connections_offered_ci95"], summary.Header.Skip(1).Take(2));
        int events = summary.IndexOf("events_mean");
        Assert.Equal("15", summary.Rows[0][events]);
        Assert.Equal(12.706204736174698 * 5, double.Parse(summary.Rows[0][events + 1], System.Globalization.CultureInfo.InvariantCulture), 8);
        Assert.Equal("0", summary.Rows[1][events + 1]);
    }
}
