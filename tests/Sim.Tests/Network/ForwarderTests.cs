using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Network;

public sealed class ForwarderTests
{
    private sealed class Sink(Simulator simulator) : IMessageSink
    {
        public List<(long AtNs, long Flow)> Delivered { get; } = [];
        public List<(long AtNs, long Flow, HopDropReason Reason, int Hop)> Dropped { get; } = [];
        public Action<Message>? Then { get; set; }

        public void OnDelivered(in Message message)
        {
            Delivered.Add((simulator.Now.Nanoseconds, message.Flow));
            Then?.Invoke(message);
        }

        public void OnDropped(in Message message, HopDropReason reason, int hopIndex) =>
            Dropped.Add((simulator.Now.Nanoseconds, message.Flow, reason, hopIndex));
    }

    [Fact]
    public void A_message_enters_each_hop_on_its_first_packet_and_is_delivered_with_its_last()
    {
        var simulator = new Simulator();
        var forwarder = new Forwarder(simulator);
        var sink = new Sink(simulator);
        var link = new Link("l", DataRate.Parse("1Gbps"), SimTime.FromMicroseconds(10), new ByteSize(100_000));
        var cpu = new Cpu("c", cores: 1);
        // Three packets of 4 µs on the link: the head reaches the CPU at 4 + 10 µs and the tail at
        // 12 + 10 µs; the CPU has done the head's 1 + 0.5 µs by then and ends 0.5 µs after the
        // tail: 22.5 µs, where store-and-forward of the whole message took 22 + 1 + 3 × 0.5 = 24.5 µs.
        Route route = TestRoutes.Of(link, new CpuStage(cpu, SimTime.FromMicroseconds(1), SimTime.FromMicroseconds(0.5), batchBytes: 0));

        forwarder.Send(route, new Message { SizeBytes = 1_500, Packets = 3, Flow = 42 }, sink);
        simulator.Run();

        Assert.Equal([(22_500L, 42L)], sink.Delivered);
        Assert.Equal((1L, 1L, 0L, 0L), (forwarder.Sent, forwarder.Delivered, forwarder.Dropped, forwarder.InFlight));
    }

    [Fact]
    public void A_drop_is_reported_with_its_cause_and_hop()
    {
        var simulator = new Simulator();
        var forwarder = new Forwarder(simulator);
        var sink = new Sink(simulator);
        var wide = new Link("wide", DataRate.Parse("10Gbps"), SimTime.Zero, new ByteSize(100_000));
        var narrow = new Link("narrow", DataRate.Parse("1Gbps"), SimTime.Zero, new ByteSize(1_000));
        Route route = TestRoutes.Of(wide, narrow);

        forwarder.Send(route, new Message { SizeBytes = 1_500, Packets = 1, Flow = 1 }, sink);
        forwarder.Send(route, new Message { SizeBytes = 1_500, Packets = 1, Flow = 2 }, sink);
        simulator.Run();

        // Flow 1 reaches the narrow link at 1.2 µs, flow 2 at 2.4 µs, behind 10.8 µs of backlog.
        Assert.Equal([(13_200L, 1L)], sink.Delivered);
        Assert.Equal([(2_400L, 2L, HopDropReason.BufferFull, 1)], sink.Dropped);
        Assert.Equal((2L, 1L, 1L), (forwarder.Sent, forwarder.Delivered, forwarder.Dropped));
    }

    [Fact]
    public void A_sink_may_send_again_from_its_delivery_callback()
    {
        var simulator = new Simulator();
        var forwarder = new Forwarder(simulator);
        var sink = new Sink(simulator);
        Route route = TestRoutes.Of(new Link("l", DataRate.Parse("1Gbps"), SimTime.Zero, new ByteSize(100_000)));
        sink.Then = m =>
        {
            if (m.Flow < 3) forwarder.Send(route, m with { Flow = m.Flow + 1 }, sink);
        };

        forwarder.Send(route, new Message { SizeBytes = 1_500, Packets = 1, Flow = 0 }, sink);
        simulator.Run();

        Assert.Equal([(12_000L, 0L), (24_000L, 1L), (36_000L, 2L), (48_000L, 3L)], sink.Delivered);
        Assert.Equal(0, forwarder.InFlight);
    }

    [Fact]
    public void An_empty_route_is_rejected()
    {
        var simulator = new Simulator();
        Assert.Throws<ArgumentException>(() => new Forwarder(simulator).Send(new Route(), new Message(), new Sink(simulator)));
    }
}
