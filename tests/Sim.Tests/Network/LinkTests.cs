using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Network;

public sealed class LinkTests
{
    // 1 Gbit/s: a 1,500-byte message takes exactly 12 µs to transmit.
    private static Link OneGigabit(long bufferBytes) => new("l", DataRate.Parse("1Gbps"), SimTime.FromMicroseconds(10), new ByteSize(bufferBytes));

    private static (bool Admitted, long ExitNs) Offer(Link link, long atNs, long sizeBytes)
    {
        var message = new Message { SizeBytes = sizeBytes, Packets = 1 };
        bool admitted = link.TryAdmit(PacketTrain.At(new SimTime(atNs)), ref message, out PacketTrain exit, out _);
        return (admitted, exit.Tail.Nanoseconds);
    }

    [Fact]
    public void Departures_are_FIFO_behind_the_backlog_plus_propagation()
    {
        Link link = OneGigabit(100_000);
        Assert.Equal((true, 22_000L), Offer(link, 0, 1_500));       // 12 µs on the wire + 10 µs propagation
        Assert.Equal((true, 34_000L), Offer(link, 1_000, 1_500));   // waits until 12 µs
        Assert.Equal((true, 52_000L), Offer(link, 30_000, 1_500));  // link idle again since 24 µs
    }

    [Fact]
    public void Drop_tail_admits_up_to_the_buffer_and_drops_the_rest()
    {
        Link link = OneGigabit(3_000);
        Assert.True(Offer(link, 0, 1_500).Admitted);
        Assert.True(Offer(link, 0, 1_500).Admitted);   // backlog 1,500 + 1,500 = buffer: fits
        var message = new Message { SizeBytes = 1, Packets = 1 };
        Assert.False(link.TryAdmit(PacketTrain.At(SimTime.Zero), ref message, out _, out HopDropReason reason));
        Assert.Equal(HopDropReason.BufferFull, reason);
        Assert.True(Offer(link, 12_000, 1_500).Admitted); // one message has left: room again
        Assert.Equal(4, link.Offered);
        Assert.Equal(1, link.Dropped);
        Assert.Equal(4_500, link.BytesAdmitted);
    }

    [Fact]
    public void An_idle_link_admits_a_message_larger_than_its_buffer()
    {
        Link link = OneGigabit(1_000);
        Assert.Equal((true, 90_000L), Offer(link, 0, 10_000));
        Assert.False(Offer(link, 1, 1).Admitted);
    }

    [Fact]
    public void Backlog_drains_at_the_line_rate()
    {
        Link link = OneGigabit(100_000);
        Offer(link, 0, 1_500);
        Assert.Equal(1_500, link.BacklogBytes(SimTime.Zero));
        Assert.Equal(750, link.BacklogBytes(new SimTime(6_000)));
        Assert.Equal(0, link.BacklogBytes(new SimTime(12_000)));
    }

    [Fact]
    public void Counts_delivered_and_in_flight_by_arrival_time_at_the_far_end()
    {
        Link link = OneGigabit(100_000);
        Offer(link, 0, 1_500);
        Offer(link, 0, 1_500);
        Assert.Equal((0L, 2L), (link.Delivered(new SimTime(21_999)), link.InFlight(new SimTime(21_999))));
        Assert.Equal((1L, 1L), (link.Delivered(new SimTime(22_000)), link.InFlight(new SimTime(22_000))));
        Assert.Equal((2L, 0L), (link.Delivered(new SimTime(34_000)), link.InFlight(new SimTime(34_000))));
    }

    [Fact]
    public void Utilization_counts_transmission_time_within_the_window()
    {
        Link link = OneGigabit(100_000);
        Offer(link, 0, 1_500);
        Assert.Equal(0.5, link.Utilization(new SimTime(24_000)), 12);
        Assert.Equal(1.0, link.Utilization(new SimTime(6_000)), 12);
        link.StartWindow(new SimTime(6_000));
        Assert.Equal(0.5, link.Utilization(new SimTime(18_000)), 12);
    }
}
