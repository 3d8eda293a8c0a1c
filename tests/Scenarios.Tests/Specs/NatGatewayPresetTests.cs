using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Scenarios.Tests.Specs;

/// <summary><c>egress.natGateway.preset</c> sets a cloud's documented values; explicit keys override them.</summary>
public sealed class NatGatewayPresetTests
{
    private readonly ScenarioLoader _loader = ClusterRunner.CreateLoader();

    private NatGatewayOptions GatewayOf(string natGateway, int nodes = 3)
    {
        string yaml = $$"""
            name: preset
            cluster: { nodes: {{nodes}}, podsPerNode: 2, podCidr: 10.0.0.0/8 }
            egress:
              natGateway: {{natGateway}}
            workloads:
              - type: egress
                connectionsPerSecond: 10
            """;
        return ClusterOptionsBuilder.ClusterOptionsOf(_loader.ResolveText(yaml, "preset.yaml", []).Scenario).NatGateway;
    }

    [Fact]
    public void Without_a_preset_the_gateway_is_aws_nat_gateway_as_documented()
    {
        NatGatewayOptions gateway = GatewayOf("{}");
        NatGatewayOptions aws = NatGatewayOptions.Aws(gateway.FirstPublicIp);
        Assert.Equal(aws, gateway);
        Assert.Equal(SimTime.FromSeconds(60), gateway.PortReuseDelay);
    }

    [Theory]
    [InlineData("gcp", 0, 64, 1200, 30, 120)]
    [InlineData("azure-natgw", 50_000, 0, 240, 30, 65)]
    [InlineData("azure-lb", 0, 1024, 240, 240, 240)]
    [InlineData("aws", 55_000, 0, 350, 350, 60)]
    public void Each_preset_sets_its_documented_limits_and_timers(string preset, int perDestination, int portsPerVm, int idleSeconds, int transitorySeconds, int reuseSeconds)
    {
        NatGatewayOptions gateway = GatewayOf($"{{ preset: {preset} }}");
        Assert.Equal(perDestination == 0 ? int.MaxValue : perDestination, gateway.MaxConnectionsPerDestination);
        Assert.Equal(portsPerVm, gateway.PortsPerVm);
        Assert.Equal(SimTime.FromSeconds(idleSeconds), gateway.IdleTimeout);
        Assert.Equal(SimTime.FromSeconds(transitorySeconds), gateway.TransitoryIdleTimeout);
        Assert.Equal(SimTime.FromSeconds(reuseSeconds), gateway.PortReuseDelay);
    }

    [Fact]
    public void Explicit_keys_override_the_preset_and_the_rest_stays_the_presets()
    {
        NatGatewayOptions gateway = GatewayOf("{ preset: gcp, portsPerVm: 128, publicIps: 2 }");
        Assert.Equal((128, 2), (gateway.PortsPerVm, gateway.PublicIpCount));
        Assert.Equal(SimTime.FromSeconds(120), gateway.PortReuseDelay);
    }

    [Theory]
    [InlineData(50, 1024)]
    [InlineData(120, 256)]
    [InlineData(1000, 32)]
    public void Azure_load_balancer_ports_per_vm_follow_the_node_count(int nodes, int portsPerVm) =>
        Assert.Equal(portsPerVm, GatewayOf("{ preset: azure-lb }", nodes).PortsPerVm);

    [Theory]
    [InlineData("{ preset: gce }", "egress.natGateway.preset")]
    [InlineData("{ preset: aws, publicIps: 9 }", "egress.natGateway.publicIps")]
    [InlineData("{ preset: azure-natgw, publicIps: 17 }", "egress.natGateway.publicIps")]
    [InlineData("{ portsPerIp: 100, portsPerVm: 200 }", "egress.natGateway.portsPerVm")]
    public void Presets_are_checked_with_the_key_named(string natGateway, string key)
    {
        ScenarioException error = Assert.Throws<ScenarioException>(() => GatewayOf(natGateway));
        Assert.Contains(error.Messages, message => message.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Azure_load_balancer_beyond_its_table_is_a_problem_at_the_preset()
    {
        ScenarioException error = Assert.Throws<ScenarioException>(() => GatewayOf("{ preset: azure-lb }", nodes: 1001));
        Assert.Contains(error.Messages, message => message.Contains("egress.natGateway.preset", StringComparison.Ordinal) && message.Contains("1,000", StringComparison.Ordinal));
    }
}
