using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Network;

public sealed class FlowTupleTests
{
    private static readonly FlowTuple Flow = new(IPv4Address.Parse("10.244.1.7"), 40000, IPv4Address.Parse("10.96.0.10"), 53, IpProtocol.Udp);

    [Fact]
    public void Reversed_swaps_the_ends_and_twice_is_the_identity()
    {
        FlowTuple reply = Flow.Reversed();
        Assert.Equal(new FlowTuple(Flow.DestinationIp, 53, Flow.SourceIp, 40000, IpProtocol.Udp), reply);
        Assert.Equal(Flow, reply.Reversed());
        Assert.NotEqual(Flow, reply);
    }

    [Fact]
    public void Every_field_takes_part_in_equality_and_tuples_differing_in_one_port_hash_apart()
    {
        Assert.NotEqual(Flow, Flow with { Protocol = IpProtocol.Tcp });
        Assert.NotEqual(Flow, Flow with { SourcePort = 40001 });
        Assert.Equal(Flow, Flow with { });
        var hashes = Enumerable.Range(0, 10_000).Select(i => (Flow with { SourcePort = (ushort)(30000 + i) }).GetHashCode() & 0x3FFF).ToHashSet();
        Assert.True(hashes.Count > 7_000, $"{hashes.Count} distinct buckets of 16,384 for 10,000 tuples.");
    }
}
