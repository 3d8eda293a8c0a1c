using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;
using FsCheck.Xunit;

namespace ClusterNetPerf.Sim.Tests.Cluster.Edge;

public sealed class NatGatewayTests
{
    private static readonly IPv4Address PublicBase = IPv4Address.Parse("203.0.113.10");
    private static readonly IPv4Address FirstNode = IPv4Address.Parse("10.0.0.1");
    private static readonly IPv4Address Server = IPv4Address.Parse("93.184.216.34");
    private static readonly FlowDestination Https = new(Server, 443, IpProtocol.Tcp);

    /// <summary>Flow number <paramref name="i"/> from a node: distinct node-side tuples, all toward <paramref name="destinationPort"/>.</summary>
    private static FlowTuple NodeFlow(int i, IPv4Address? node = null, ushort destinationPort = 443) =>
        new(node ?? FirstNode + (uint)(i / 28_000), (ushort)(32768 + i % 28_000), Server, destinationPort, IpProtocol.Tcp);

    private static NatGatewayOptions SmallPool(int ports, SimTime reuseDelay, int publicIps = 1) => new()
    {
        FirstPublicIp = PublicBase,
        PublicIpCount = publicIps,
        Ports = new PortRange(2000, (ushort)(2000 + ports - 1)),
        PortReuseDelay = reuseDelay,
    };

    [Fact]
    public void A_prefilled_port_waits_out_its_reuse_delay_before_it_serves_the_destination_again()
    {
        var gateway = new NatGateway(SmallPool(ports: 2, reuseDelay: SimTime.FromSeconds(60)), new System.Random(4));
        Assert.True(gateway.TryPrefillCooling(SimTime.Zero, NodeFlow(0), SimTime.FromSeconds(10)));
        Assert.True(gateway.TryPrefillCooling(SimTime.Zero, NodeFlow(1), SimTime.FromSeconds(20)));
        Assert.False(gateway.TryPrefillCooling(SimTime.Zero, NodeFlow(2), SimTime.FromSeconds(30)));
        Assert.Equal(2, gateway.Held(SimTime.Zero));
        Assert.Equal(0, gateway.InUse);
        Assert.False(gateway.TryAllocate(SimTime.FromSeconds(5), NodeFlow(3), out _));
        Assert.True(gateway.TryAllocate(SimTime.FromSeconds(15), NodeFlow(4), out _));
        Assert.False(gateway.TryAllocate(SimTime.FromSeconds(15), NodeFlow(5), out _));
        Assert.True(gateway.TryAllocate(SimTime.FromSeconds(20), NodeFlow(6), out _));
        Assert.Equal(2, gateway.InUse);
    }

    [Fact]
    public void Aws_two_ips_admit_110000_connections_to_one_destination_and_no_more()
    {
        var gateway = new NatGateway(NatGatewayOptions.Aws(PublicBase, publicIpCount: 2), new System.Random(5));
        var seen = new HashSet<FlowTuple>();
        for (int i = 0; i < 110_000; i++)
        {
            Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(i), out FlowTuple publicSide), $"connection {i + 1} failed");
            Assert.True(seen.Add(publicSide));
        }

        Assert.False(gateway.TryAllocate(SimTime.Zero, NodeFlow(110_000), out _));
        Assert.Equal(1, gateway.Failures);
        Assert.Equal(55_000, gateway.InUseOnIp(0));
        Assert.Equal(55_000, gateway.InUseOnIp(1));
        Assert.Equal(110_000, gateway.InUseToward(Https));
        Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(0, destinationPort: 80), out _));
    }

    [Fact]
    public void Aws_admits_about_55000_new_connections_a_minute_to_one_destination_however_short_they_are()
    {
        var gateway = new NatGateway(NatGatewayOptions.Aws(PublicBase), new System.Random(3));
        // 1,000 connections/s, each closed at once: a closed port is held 60 s, so the 55,000th
        // of the minute is the last admitted; at 55 s the 55,001st fails, 917/s (≈ 900) is the sustainable rate.
        for (int i = 0; i < 55_000; i++)
        {
            var now = new SimTime(i * 1_000_000L);
            Assert.True(gateway.TryAllocate(now, NodeFlow(i), out FlowTuple publicSide), $"connection {i + 1} failed");
            gateway.Release(now, publicSide);
        }
        Assert.False(gateway.TryAllocate(SimTime.FromSeconds(55), NodeFlow(55_000), out _));
        Assert.Equal(55_000, gateway.PeakHeldPerDestination);
        Assert.True(gateway.TryAllocate(SimTime.FromSeconds(60), NodeFlow(55_001), out _));
        Assert.Equal(SimTime.FromSeconds(350), gateway.Spec.IdleTimeout);
    }

    [Fact]
    public void Azure_nat_gateway_admits_50000_connections_per_ip_to_one_destination_and_holds_a_closed_port_65_seconds()
    {
        var gateway = new NatGateway(NatGatewayOptions.AzureNatGateway(PublicBase), new System.Random(6));
        var held = new FlowTuple[50_000];
        for (int i = 0; i < 50_000; i++) Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(i), out held[i]));
        Assert.False(gateway.TryAllocate(SimTime.Zero, NodeFlow(50_000), out _));

        gateway.Release(SimTime.FromSeconds(1), held[0]);
        Assert.False(gateway.TryAllocate(SimTime.FromSeconds(65.999), NodeFlow(50_001), out _));
        Assert.True(gateway.TryAllocate(SimTime.FromSeconds(66), NodeFlow(50_002), out _));
    }

    [Fact]
    public void Azure_load_balancer_with_120_vms_fails_a_vms_257th_connection_to_one_destination()
    {
        var gateway = new NatGateway(NatGatewayOptions.AzureLoadBalancer(PublicBase, backendPoolSize: 120), new System.Random(8));
        for (int i = 0; i < 256; i++) Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(i, FirstNode), out _));
        Assert.False(gateway.TryAllocate(SimTime.Zero, NodeFlow(256, FirstNode), out _));
        Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(0, FirstNode + 1), out _));
        Assert.Equal(256, gateway.PeakHeldPerDestination);
        Assert.Equal(256, gateway.PortsPerDestinationLimit);
    }

    [Fact]
    public void Gcp_holds_a_closed_port_for_time_wait_and_counts_it_against_the_vms_block()
    {
        var gateway = new NatGateway(NatGatewayOptions.Gcp(PublicBase), new System.Random(4));
        var held = new FlowTuple[64];
        for (int i = 0; i < 64; i++) Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(i, FirstNode), out held[i]));
        gateway.Release(SimTime.FromSeconds(1), held[7]);
        Assert.False(gateway.TryAllocate(SimTime.FromSeconds(120.5), NodeFlow(64, FirstNode), out _));
        Assert.True(gateway.TryAllocate(SimTime.FromSeconds(121), NodeFlow(65, FirstNode), out _));
        Assert.Equal(64, gateway.PeakHeldPerDestination);
        Assert.Equal((SimTime.FromSeconds(1200), SimTime.FromSeconds(30)), (gateway.Spec.IdleTimeout, gateway.Spec.TransitoryIdleTimeout));
    }

    [Fact]
    public void Ips_share_the_load_of_one_destination()
    {
        var gateway = new NatGateway(NatGatewayOptions.AzureNatGateway(PublicBase, publicIpCount: 4), new System.Random(2));
        for (int i = 0; i < 4_000; i++) Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(i), out _));
        for (int ip = 0; ip < 4; ip++) Assert.InRange(gateway.InUseOnIp(ip), 850, 1150);
    }

    [Property(MaxTest = 200)]
    public void No_public_port_is_given_to_two_connections_toward_one_destination(int seed, byte[] operations)
    {
        var gateway = new NatGateway(SmallPool(ports: 20, SimTime.FromSeconds(2), publicIps: 2), new System.Random(seed));
        var held = new List<FlowTuple>();
        var pick = new System.Random(seed ^ 0x3C3C);
        long nowNs = 0;
        foreach (byte operation in operations.Concat(operations))
        {
            nowNs += operation % 5 * 500_000_000L;
            var now = new SimTime(nowNs);
            if (operation % 3 == 2 && held.Count > 0)
            {
                int victim = pick.Next(held.Count);
                gateway.Release(now, held[victim]);
                held.RemoveAt(victim);
            }
            else if (gateway.TryAllocate(now, NodeFlow(operation, destinationPort: (ushort)(80 + operation % 2)), out FlowTuple publicSide))
            {
                Assert.DoesNotContain(publicSide, held);
                held.Add(publicSide);
            }
            Assert.Equal(held.Count, gateway.InUse);
        }
    }

    [Fact]
    public void A_released_port_is_not_given_to_the_same_destination_before_the_reuse_delay()
    {
        var gateway = new NatGateway(SmallPool(ports: 10, reuseDelay: SimTime.FromSeconds(120)), new System.Random(9));
        var held = new FlowTuple[10];
        for (int i = 0; i < 10; i++) Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(i), out held[i]));

        SimTime closed = SimTime.FromSeconds(10);
        gateway.Release(closed, held[3]);
        Assert.Equal(9, gateway.InUse);
        Assert.False(gateway.TryAllocate(closed + SimTime.FromSeconds(119.999), NodeFlow(20), out _));
        Assert.True(gateway.TryAllocate(closed, NodeFlow(21, destinationPort: 80), out _));

        Assert.True(gateway.TryAllocate(closed + SimTime.FromSeconds(120), NodeFlow(22), out FlowTuple reused));
        Assert.Equal(held[3].SourcePort, reused.SourcePort);
    }

    [Fact]
    public void Without_a_reuse_delay_a_released_port_is_free_at_once()
    {
        var gateway = new NatGateway(SmallPool(ports: 1, SimTime.Zero), new System.Random(1));
        Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(0), out FlowTuple first));
        gateway.Release(SimTime.Zero, first);
        Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(1), out FlowTuple second));
        Assert.Equal(first.SourcePort, second.SourcePort);
        Assert.Throws<InvalidOperationException>(() => gateway.Release(SimTime.Zero, NodeFlow(1)));
    }

    [Fact]
    public void Gcp_static_allocation_fails_a_vms_65th_connection_to_one_destination()
    {
        var gateway = new NatGateway(NatGatewayOptions.Gcp(PublicBase), new System.Random(4));
        IPv4Address vm = FirstNode;
        for (int i = 0; i < 64; i++) Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(i, vm), out _));

        Assert.False(gateway.TryAllocate(SimTime.Zero, NodeFlow(64, vm), out _));
        Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(64, vm, destinationPort: 80), out _));
        Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(64, vm + 1), out _));
    }

    [Fact]
    public void Gcp_static_allocation_serves_1008_vms_per_ip_and_keeps_each_vm_in_its_block()
    {
        var gateway = new NatGateway(NatGatewayOptions.Gcp(PublicBase), new System.Random(4));
        for (int vm = 0; vm < 64_512 / 64; vm++)
        {
            Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(0, FirstNode + (uint)vm), out FlowTuple a));
            Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(1, FirstNode + (uint)vm), out FlowTuple b));
            Assert.Equal((a.SourcePort - 1024) / 64, (b.SourcePort - 1024) / 64);
            Assert.Equal(vm, (a.SourcePort - 1024) / 64);
        }
        Assert.False(gateway.TryAllocate(SimTime.Zero, NodeFlow(0, FirstNode + 1008), out _));
        Assert.Equal(1008, gateway.VmsWithPortBlock);
    }

    [Theory]
    [InlineData(1, 1024)]
    [InlineData(50, 1024)]
    [InlineData(51, 512)]
    [InlineData(200, 256)]
    [InlineData(400, 128)]
    [InlineData(800, 64)]
    [InlineData(1000, 32)]
    public void Azure_load_balancer_gives_the_documented_ports_per_vm(int poolSize, int portsPerVm)
    {
        Assert.Equal(portsPerVm, NatGatewayOptions.AzureDefaultPortsPerVm(poolSize));
        Assert.Equal(portsPerVm, NatGatewayOptions.AzureLoadBalancer(PublicBase, poolSize).PortsPerVm);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Azure_load_balancer_table_rejects_pools_it_does_not_cover(int poolSize) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NatGatewayOptions.AzureDefaultPortsPerVm(poolSize));

    [Fact]
    public void Means_are_time_weighted_per_gateway_ip_and_destination_and_restart_after_warm_up()
    {
        var gateway = new NatGateway(SmallPool(ports: 10, SimTime.Zero), new System.Random(1));
        Assert.True(gateway.TryAllocate(SimTime.Zero, NodeFlow(0), out FlowTuple first));
        Assert.True(gateway.TryAllocate(SimTime.FromSeconds(1), NodeFlow(1), out _));
        gateway.Release(SimTime.FromSeconds(3), first);

        SimTime end = SimTime.FromSeconds(4);
        Assert.Equal((1 + 2 * 2 + 1) / 4.0, gateway.MeanInUse(end), 12);
        Assert.Equal(gateway.MeanInUse(end), gateway.MeanInUseOnIp(0, end), 12);
        Assert.Equal(gateway.MeanInUse(end), gateway.MeanInUseToward(Https, end), 12);
        Assert.Equal(2, gateway.PeakInUse);
        Assert.Equal(2, gateway.PeakInUseToward(Https));

        gateway.RestartStatistics(end);
        Assert.Equal(1, gateway.MeanInUse(end + SimTime.FromSeconds(5)), 12);
        Assert.Equal(1, gateway.PeakInUseOnIp(0));
        Assert.Equal(0, gateway.Allocated);
    }
}
