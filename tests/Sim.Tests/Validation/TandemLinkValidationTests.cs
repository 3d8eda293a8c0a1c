using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Tests.Network;
using FsCheck;
using FsCheck.Xunit;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>
/// With no other traffic, a message of one packet crosses k links in exactly Σ (transmission +
/// propagation), and a train of n packets through any tandem of links and CPU stages arrives
/// whole after the store-and-forward packet train's closed form Σₖ (sₖ + dₖ) + (n − 1)·maxₖ sₖ.
/// </summary>
public sealed class TandemLinkValidationTests
{
    private static readonly string[] Rates = ["100Mbps", "1Gbps", "2.5Gbps", "10Gbps", "25Gbps", "40Gbps", "100Gbps", "3Gbps", "7Mbps"];

    [Property(MaxTest = 300)]
    public void Delay_through_empty_links_is_the_sum_of_per_hop_delays(PositiveInt size, NonEmptyArray<(byte Rate, ushort PropagationUs)> hops)
    {
        long sizeBytes = size.Get;
        var links = hops.Get.Take(Route.Capacity)
            .Select((h, i) => new Link($"l{i}", DataRate.Parse(Rates[h.Rate % Rates.Length]), SimTime.FromMicroseconds(h.PropagationUs), new ByteSize(0)))
            .ToArray();
        var simulator = new Simulator();
        var forwarder = new Forwarder(simulator);
        var sink = new RecordingSink(simulator);

        forwarder.Send(TestRoutes.Of(links), new Message { SizeBytes = sizeBytes, Packets = 1 }, sink);
        simulator.Run();

        long expected = links.Sum(l => l.Bandwidth.TransmissionTime(sizeBytes).Nanoseconds + l.PropagationDelay.Nanoseconds);
        Assert.Equal(expected, sink.DeliveredAt);
    }

    /// <summary>Rates at which a 1,500-byte packet takes a whole number of nanoseconds.</summary>
    private static readonly string[] WholeRates = ["100Mbps", "1Gbps", "10Gbps", "25Gbps", "40Gbps", "100Gbps"];

    [Property(MaxTest = 300)]
    public void A_packet_train_arrives_after_the_tandem_closed_form(PositiveInt packets, NonEmptyArray<(bool IsCpu, byte Rate, ushort DelayNs)> hops)
    {
        const long PacketBytes = 1_500;
        int n = 1 + packets.Get % 64;
        var stages = hops.Get.Take(Route.Capacity).Select((h, i) => h.IsCpu
            ? (Hop: (IHop)new CpuStage(new Cpu($"c{i}", 1 + h.Rate % 4), SimTime.Zero, new SimTime(1 + h.DelayNs), batchBytes: 0), Service: 1L + h.DelayNs, Delay: 0L)
            : MakeLink(i, h.Rate, h.DelayNs)).ToArray();
        var simulator = new Simulator();
        var forwarder = new Forwarder(simulator);
        var sink = new RecordingSink(simulator);

        forwarder.Send(TestRoutes.Of([.. stages.Select(s => s.Hop)]), new Message { SizeBytes = n * PacketBytes, Packets = n }, sink);
        simulator.Run();

        long expected = stages.Sum(s => s.Service + s.Delay) + (n - 1) * stages.Max(s => s.Service);
        Assert.Equal(expected, sink.DeliveredAt);

        static (IHop Hop, long Service, long Delay) MakeLink(int i, byte rate, ushort delayNs)
        {
            var link = new Link($"l{i}", DataRate.Parse(WholeRates[rate % WholeRates.Length]), new SimTime(delayNs), new ByteSize(0));
            return (link, link.Bandwidth.TransmissionTime(PacketBytes).Nanoseconds, delayNs);
        }
    }

    private sealed class RecordingSink(Simulator simulator) : IMessageSink
    {
        public long DeliveredAt { get; private set; } = -1;
        public void OnDelivered(in Message message) => DeliveredAt = simulator.Now.Nanoseconds;
        public void OnDropped(in Message message, HopDropReason reason, int hopIndex) => throw new InvalidOperationException("an empty link dropped a message");
    }
}
