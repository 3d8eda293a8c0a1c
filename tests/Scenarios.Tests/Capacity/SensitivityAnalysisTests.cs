using ClusterNetPerf.Scenarios.Capacity;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Scenarios.Tests.Running;

namespace ClusterNetPerf.Scenarios.Tests.Capacity;

public sealed class SensitivityAnalysisTests
{
    private const string Scenario = """
        name: sensitivity
        replications: 2
        services: { count: 200 }
        workloads: [{ type: serviceCalls, connectionsPerSecond: 10, responseSize: { distribution: exponential, mean: 16KiB } }]
        """;

    [Fact]
    public void The_parameters_the_model_reads_move_metrics_and_the_ones_it_ignores_move_nothing()
    {
        // The fake reads services.count (latency, throughput, conntrack) and nothing else of the system.
        var loader = new ScenarioLoader(_ => true, _ => []);
        var analysis = new SensitivityAnalysis(new FakePointRunner(), extra => loader.ResolveText(Scenario, "s.yaml", extra).Scenario);

        SensitivityReport report = analysis.Run(jobs: 2, CancellationToken.None);

        SensitivityEffect latency = report.Effects.Single(e => e.Parameter == "services.count" && e.Factor > 1 && e.Metric == "setup_latency_p99_us");
        Assert.True(latency.Significant);
        Assert.Equal(0.5 * 20 / latency.BaseMean, latency.RelativeChange, 9);   // +20 Services × 0.5 us each
        Assert.DoesNotContain("services.count", report.Inert);
        Assert.Contains("cluster.nodes", report.Inert);   // 3 nodes: moved to 2 and 4
        Assert.Contains(report.Skipped, skip => skip.StartsWith("egress.natGateway.portsPerIp=70963", StringComparison.Ordinal));
        Assert.Contains("workloads[0].connectionsPerSecond", report.Inert);
        Assert.Contains("workloads[0].responseSize.mean", report.Inert);
        Assert.All(report.Effects, effect => Assert.Equal("services.count", effect.Parameter));
    }
}
