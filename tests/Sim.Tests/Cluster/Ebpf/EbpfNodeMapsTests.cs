using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Cluster.Ebpf;

/// <summary>A node's CT and NAT maps against Cilium's rules: ct_update_timeout's lifetimes, the agent's GC interval, snat_v4_new_mapping's port choice.</summary>
public sealed class EbpfNodeMapsTests
{
    private static readonly IPv4Address NodeAddress = IPv4Address.Parse("172.16.0.1");
    private static readonly IPv4Address Pod = IPv4Address.Parse("10.244.0.2");
    private static readonly IPv4Address Internet = IPv4Address.Parse("203.0.113.7");

    private static EbpfNodeMaps Maps(Simulator simulator, EbpfOptions? options = null) =>
        new(simulator, options ?? new EbpfOptions { CtGlobalTcpMax = 4_096, CtGlobalAnyMax = 4_096 }, NodeAddress, new System.Random(1));

    [Fact]
    public void Each_state_sets_the_lifetime_ct_update_timeout_gives_it()
    {
        var simulator = new Simulator(1);
        EbpfNodeMaps maps = Maps(simulator);
        var tcp = new FlowTuple(Pod, 40_000, Internet, 443, IpProtocol.Tcp);
        var udp = new FlowTuple(Pod, 40_001, IPv4Address.Parse("10.96.0.10"), 53, IpProtocol.Udp);

        Assert.True(maps.TryTrack(tcp, out BpfEntryId tcpEntry));
        Assert.True(maps.TryTrack(udp, out BpfEntryId udpEntry));
        Assert.Equal(SimTime.FromSeconds(60), maps.CtTcp.ExpiresAt(tcpEntry));
        Assert.Equal(SimTime.FromSeconds(60), maps.CtAny.ExpiresAt(udpEntry));

        simulator.RunUntil(SimTime.FromSeconds(1));
        maps.Observe(tcpEntry, ConntrackState.TcpEstablished);
        Assert.Equal(SimTime.FromSeconds(1 + 21_600), maps.CtTcp.ExpiresAt(tcpEntry));

        simulator.RunUntil(SimTime.FromSeconds(2));
        maps.Observe(tcpEntry, ConntrackState.TcpTimeWait);
        Assert.Equal(SimTime.FromSeconds(2 + 10), maps.CtTcp.ExpiresAt(tcpEntry));
    }

    [Fact]
    public void A_prefilled_flow_holds_its_ct_entry_and_snat_pair_until_the_agents_pass_after_its_lifetime()
    {
        var simulator = new Simulator(1);
        EbpfNodeMaps maps = Maps(simulator);
        maps.PhaseGc(SimTime.FromSeconds(30), SimTime.FromSeconds(20));
        Assert.Equal(SimTime.FromSeconds(20), maps.NextGcPass);
        var closed = new FlowTuple(Pod, 40_000, Internet, 443, IpProtocol.Tcp);
        var expired = new FlowTuple(Pod, 40_001, Internet, 443, IpProtocol.Tcp);
        Assert.True(maps.TryPrefill(closed, SimTime.FromSeconds(25), masquerade: true));
        Assert.True(maps.TryPrefill(expired, SimTime.FromSeconds(-3), masquerade: false));
        Assert.False(maps.TryPrefill(closed, SimTime.FromSeconds(26), masquerade: true));
        Assert.Equal(2, maps.CtTcp.Count);
        Assert.Equal(2, maps.Nat.Count);
        // The pass at 20 s deletes the entry whose lifetime ended before the start; the next the other and its SNAT pair:
        // under 5 % of the map went, so the agent lengthens its 30 s interval 1.5×.
        simulator.RunUntil(SimTime.FromSeconds(20));
        Assert.Equal(1, maps.CtTcp.Count);
        Assert.Equal(SimTime.FromSeconds(20 + 45), maps.NextGcPass);
        simulator.RunUntil(maps.NextGcPass);
        Assert.Equal(0, maps.CtTcp.Count);
        Assert.Equal(0, maps.Nat.Count);
    }

    [Fact]
    public void Prefill_refuses_rather_than_evicts_or_signals_on_a_full_map()
    {
        var simulator = new Simulator(1);
        EbpfNodeMaps maps = Maps(simulator, new EbpfOptions { CtGlobalTcpMax = EbpfOptions.LimitTableMin, CtGlobalAnyMax = EbpfOptions.LimitTableMin });
        SimTime firstPass = maps.NextGcPass;
        int admitted = 0;
        for (int i = 0; i < 2 * EbpfOptions.LimitTableMin; i++)
            if (maps.TryPrefill(new FlowTuple(Pod, (ushort)(30_000 + i), Internet, 443, IpProtocol.Tcp), SimTime.FromSeconds(5), masquerade: false)) admitted++;
        Assert.Equal(EbpfOptions.LimitTableMin, admitted);
        Assert.Equal(0, maps.CtTcp.Evicted);
        Assert.Equal(firstPass, maps.NextGcPass);
    }

    [Theory]
    [InlineData(0, 0, 0.0, 300)] // first pass: the 5 min starting interval
    [InlineData(300, 300, 0.0, 300)] // nothing deleted: unchanged
    [InlineData(300, 300, 0.01, 450)] // under 5 %: 1.5×
    [InlineData(28_800, 28_800, 0.01, 43_200)] // … up to 12 h
    [InlineData(43_200, 43_200, 0.01, 43_200)]
    [InlineData(300, 300, 0.1, 300)] // 5–25 %: unchanged
    [InlineData(300, 300, 0.5, 150)] // over 25 %: shorter by the ratio
    [InlineData(300, 300, 0.99, 30)] // … the ratio capped at 90 %
    [InlineData(20, 20, 0.9, 10)] // … never below 10 s
    [InlineData(150, 300, 0.2, 180)] // an early pass: 0.2 × 300/150 = 0.4
    public void The_gc_interval_follows_the_agents_rule(double actualSeconds, double expectedSeconds, double deleteRatio, double nextSeconds)
    {
        SimTime next = EbpfNodeMaps.NextInterval(SimTime.FromSeconds(actualSeconds), SimTime.FromSeconds(expectedSeconds), deleteRatio);
        Assert.Equal(SimTime.FromSeconds(nextSeconds), next);
    }

    [Fact]
    public void Expired_entries_and_their_SNAT_pairs_go_at_the_gc_pass_not_at_their_deadline()
    {
        var simulator = new Simulator(1);
        EbpfNodeMaps maps = Maps(simulator);
        var flow = new FlowTuple(Pod, 40_000, Internet, 443, IpProtocol.Tcp);
        Assert.True(maps.TryTrack(flow, out BpfEntryId entry));
        Assert.Null(maps.TrySnat(flow, entry, out _));
        maps.Observe(entry, ConntrackState.TcpTimeWait);
        Assert.Equal(2, maps.Nat.Count);

        simulator.RunUntil(SimTime.FromSeconds(11));
        if (maps.GcPasses == 0) Assert.Equal(1, maps.CtTcp.Count); // not yet collected

        SimTime pass = maps.NextGcPass;
        simulator.RunUntil(pass + SimTime.FromSeconds(1));
        Assert.Equal(0, maps.CtTcp.Count);
        Assert.Equal(0, maps.Nat.Count);
    }

    [Fact]
    public void SNAT_keeps_a_source_port_in_range_and_walks_on_from_a_random_one_when_it_is_taken()
    {
        var simulator = new Simulator(1);
        EbpfNodeMaps maps = Maps(simulator);
        var first = new FlowTuple(Pod, 40_000, Internet, 443, IpProtocol.Tcp);
        maps.TryTrack(first, out BpfEntryId firstEntry);
        Assert.Null(maps.TrySnat(first, firstEntry, out ushort kept));
        Assert.Equal(40_000, kept);

        // Another pod with the same source port toward the same destination collides on the reverse tuple.
        var second = first with { SourceIp = IPv4Address.Parse("10.244.0.3") };
        maps.TryTrack(second, out BpfEntryId secondEntry);
        Assert.Null(maps.TrySnat(second, secondEntry, out ushort other));
        Assert.NotEqual(40_000, other);
        Assert.InRange(other, 32_768, 65_535);
    }

    [Fact]
    public void SNAT_gives_up_after_32_tries_when_every_port_toward_the_destination_is_taken()
    {
        var simulator = new Simulator(1);
        var options = new EbpfOptions { CtGlobalTcpMax = 4_096, CtGlobalAnyMax = 4_096, NatPortRange = new PortRange(40_000, 40_031) };
        EbpfNodeMaps maps = Maps(simulator, options);
        for (int p = 0; p < 32; p++)
        {
            var flow = new FlowTuple(Pod, (ushort)(40_000 + p), Internet, 443, IpProtocol.Tcp);
            maps.TryTrack(flow, out BpfEntryId entry);
            Assert.Null(maps.TrySnat(flow, entry, out _));
        }
        var late = new FlowTuple(IPv4Address.Parse("10.244.0.3"), 40_000, Internet, 443, IpProtocol.Tcp);
        maps.TryTrack(late, out BpfEntryId lateEntry);

        Assert.Equal(DropCause.SnatPorts, maps.TrySnat(late, lateEntry, out _));
        // Toward another destination every port is free again.
        var elsewhere = late with { DestinationPort = 80 };
        maps.TryTrack(elsewhere, out BpfEntryId elsewhereEntry);
        Assert.Null(maps.TrySnat(elsewhere, elsewhereEntry, out _));
    }

    [Fact]
    public void A_full_hash_CT_map_refuses_and_asks_the_agent_for_a_gc_pass()
    {
        var simulator = new Simulator(1);
        EbpfNodeMaps maps = Maps(simulator, new EbpfOptions { CtGlobalTcpMax = 1_024, CtGlobalAnyMax = 1_024, MapType = BpfMapType.Hash });
        simulator.RunUntil(maps.NextGcPass + SimTime.FromSeconds(20));
        for (int i = 0; i < 1_024; i++) Assert.True(maps.TryTrack(new FlowTuple(Pod, (ushort)(1_024 + i), Internet, 443, IpProtocol.Tcp), out _));

        Assert.False(maps.TryTrack(new FlowTuple(Pod, 9_999, Internet, 443, IpProtocol.Tcp), out _));
        Assert.Equal(simulator.Now, maps.NextGcPass);
    }
}
