using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using FsCheck;
using FsCheck.Xunit;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>Drop-tail bookkeeping of a <see cref="Link"/> with a small buffer, over random arrival patterns.</summary>
public sealed class LinkDropTailPropertyTests
{
    private const long BufferBytes = 6_000;

    [Property(MaxTest = 300)]
    public void Conservation_and_buffer_bound_hold_at_every_arrival((ushort GapNs, ushort SizeBytes)[] arrivals)
    {
        // 1 Gbit/s: 1,500 B take 12 µs, so gaps up to 65 µs give both idle periods and bursts that overflow.
        var link = new Link("small", DataRate.Parse("1Gbps"), SimTime.FromMicroseconds(3), new ByteSize(BufferBytes));
        long now = 0;
        foreach ((ushort gap, ushort size) in arrivals)
        {
            now += gap;
            var t = new SimTime(now);
            var message = new Message { SizeBytes = 1 + size % 4_000, Packets = 1 };
            long backlogBefore = link.BacklogBytes(t);

            bool admitted = link.TryAdmit(PacketTrain.At(t), ref message, out PacketTrain exit, out HopDropReason reason);

            bool mustDrop = backlogBefore > 0 && backlogBefore + message.SizeBytes > BufferBytes;
            Assert.Equal(!mustDrop, admitted);
            if (!admitted) Assert.Equal(HopDropReason.BufferFull, reason);
            else Assert.True(exit.Tail.Nanoseconds > now);
            long bound = backlogBefore == 0 ? message.SizeBytes : BufferBytes; // one message may always start on an idle link
            Assert.True(link.BacklogBytes(t) <= bound, $"backlog {link.BacklogBytes(t)} B over {bound} B at {now} ns");
            Assert.Equal(link.Offered, link.Delivered(t) + link.Dropped + link.InFlight(t));
            var later = new SimTime(now + gap / 2);
            Assert.Equal(link.Offered, link.Delivered(later) + link.Dropped + link.InFlight(later));
            now = later.Nanoseconds;
        }
    }
}
