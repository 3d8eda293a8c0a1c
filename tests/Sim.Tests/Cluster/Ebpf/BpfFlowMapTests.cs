using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Cluster.Ebpf;

/// <summary>The kernel's rules for a full BPF hash map: a plain hash refuses, an LRU hash evicts the least recently used; only the agent's GC deletes expired entries.</summary>
public sealed class BpfFlowMapTests
{
    private static readonly SimTime Lifetime = SimTime.FromSeconds(60);

    private static FlowTuple Flow(int i) =>
        new(IPv4Address.Parse("10.244.0.2") + (uint)(i / 30_000), (ushort)(32768 + i % 30_000), IPv4Address.Parse("10.244.1.2"), 80, IpProtocol.Tcp);

    private sealed class Removals : IBpfEntryRemovalListener
    {
        public List<(BpfEntryId Id, bool Evicted)> Seen { get; } = [];
        public void EntryRemoved(BpfFlowMap map, BpfEntryId id, bool evicted) => Seen.Add((id, evicted));
    }

    [Fact]
    public void A_hash_map_of_1000_entries_drops_the_1001st_flow()
    {
        var map = new BpfFlowMap("ct", 1_000, BpfMapType.Hash);
        for (int i = 0; i < 1_000; i++) Assert.True(map.TryInsert(SimTime.Zero, Flow(i), Lifetime, out _));

        Assert.False(map.TryInsert(SimTime.Zero, Flow(1_000), Lifetime, out BpfEntryId refused));
        Assert.True(refused.IsNone);
        Assert.Equal(1_000, map.Count);
        Assert.Equal(1, map.InsertFailures);
        // An expired entry still holds its place until the GC deletes it.
        Assert.False(map.TryInsert(SimTime.FromSeconds(61), Flow(1_000), Lifetime, out _));
        Assert.Equal(1_000, map.CollectExpired(SimTime.FromSeconds(61)));
        Assert.True(map.TryInsert(SimTime.FromSeconds(61), Flow(1_000), Lifetime, out _));
    }

    [Fact]
    public void An_lru_map_of_1000_entries_evicts_the_least_recently_used_for_the_1001st_flow()
    {
        var removals = new Removals();
        var map = new BpfFlowMap("ct", 1_000, BpfMapType.LruHash) { RemovalListener = removals };
        var ids = new BpfEntryId[1_000];
        for (int i = 0; i < 1_000; i++) map.TryInsert(SimTime.Zero, Flow(i), Lifetime, out ids[i]);
        map.Use(SimTime.FromSeconds(1), ids[0], Lifetime);

        Assert.True(map.TryInsert(SimTime.FromSeconds(2), Flow(1_000), Lifetime, out BpfEntryId newest));

        Assert.Equal(1_000, map.Count);
        Assert.Equal(1, map.Evicted);
        Assert.True(map.IsLive(ids[0]), "the entry just used is the most recent, not the one evicted");
        Assert.False(map.IsLive(ids[1]));
        Assert.False(map.Contains(Flow(1)));
        Assert.Equal([(ids[1], true)], removals.Seen);
        Assert.True(map.IsLive(newest));
    }

    [Fact]
    public void The_gc_deletes_exactly_the_entries_whose_lifetime_has_passed()
    {
        var removals = new Removals();
        var map = new BpfFlowMap("ct", 100, BpfMapType.LruHash) { RemovalListener = removals };
        map.TryInsert(SimTime.Zero, Flow(0), SimTime.FromSeconds(10), out BpfEntryId shortLived);
        map.TryInsert(SimTime.Zero, Flow(1), SimTime.FromSeconds(60), out BpfEntryId longLived);

        Assert.Equal(0, map.CollectExpired(SimTime.FromSeconds(9)));
        Assert.Equal(1, map.CollectExpired(SimTime.FromSeconds(10)));
        Assert.False(map.IsLive(shortLived));
        Assert.True(map.IsLive(longLived));
        Assert.Equal([(shortLived, false)], removals.Seen);
    }

    [Fact]
    public void A_stale_id_never_touches_the_flow_that_took_its_slot()
    {
        var map = new BpfFlowMap("ct", 1, BpfMapType.LruHash);
        map.TryInsert(SimTime.Zero, Flow(0), Lifetime, out BpfEntryId first);
        map.TryInsert(SimTime.Zero, Flow(1), Lifetime, out BpfEntryId second);
        Assert.Equal(first.Slot, second.Slot);

        map.Delete(first);
        map.Use(SimTime.FromSeconds(30), first, SimTime.FromSeconds(1));

        Assert.True(map.IsLive(second));
        Assert.Equal(Lifetime, map.ExpiresAt(second));
    }

    [Fact]
    public void Inserting_a_key_already_held_renews_it_instead_of_adding_one()
    {
        var map = new BpfFlowMap("ct", 10, BpfMapType.Hash);
        map.TryInsert(SimTime.Zero, Flow(0), Lifetime, out BpfEntryId first);
        map.TryInsert(SimTime.FromSeconds(5), Flow(0), Lifetime, out BpfEntryId again);
        Assert.Equal(first, again);
        Assert.Equal(1, map.Count);
        Assert.Equal(SimTime.FromSeconds(65), map.ExpiresAt(first));
    }
}
