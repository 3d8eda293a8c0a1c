using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Tests.Network;
using FsCheck;
using FsCheck.Xunit;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>With no other traffic, a message crosses k links in exactly Σ (transmission + propagation).</summary>
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

    private sealed class RecordingSink(Simulator simulator) : IMessageSink
    {
        public long DeliveredAt { get; private set; } = -1;
        public void OnDelivered(in Message message) => DeliveredAt = simulator.Now.Nanoseconds;
        public void OnDropped(in Message message, HopDropReason reason, int hopIndex) => throw new InvalidOperationException("an empty link dropped a message");
    }
}
