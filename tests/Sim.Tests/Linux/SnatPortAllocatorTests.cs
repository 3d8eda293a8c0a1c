using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;
using FsCheck.Xunit;

namespace ClusterNetPerf.Sim.Tests.Linux;

public sealed class SnatPortAllocatorTests
{
    private static readonly IPv4Address Node = IPv4Address.Parse("10.0.0.5");
    private static readonly IPv4Address Pod = IPv4Address.Parse("10.244.1.7");
    private static readonly IPv4Address Server = IPv4Address.Parse("93.184.216.34");

    private static FlowTuple Flow(IPv4Address pod, ushort sourcePort, ushort destinationPort = 443) =>
        new(pod, sourcePort, Server, destinationPort, IpProtocol.Tcp);

    private static FlowTuple Translated(in FlowTuple original, ushort port) => original with { SourceIp = Node, SourcePort = port };

    [Property(MaxTest = 300)]
    public void No_port_is_given_to_two_flows_toward_one_destination(int seed, bool randomFully, byte[] operations)
    {
        // 40 ports (≤ 128): the kernel searches such a range in full, so an allocation fails
        // exactly when the destination has no free port, and that is checked too.
        var range = new PortRange(40000, 40039);
        var allocator = new SnatPortAllocator(Node, new System.Random(seed), randomFully, range);
        var held = new List<FlowTuple>();
        var pick = new System.Random(seed ^ 0x5A5A);
        foreach (byte operation in operations.Concat(operations).Concat(operations))
        {
            if (operation % 4 == 3 && held.Count > 0)
            {
                int victim = pick.Next(held.Count);
                allocator.Release(held[victim]);
                held.RemoveAt(victim);
                continue;
            }
            FlowTuple original = Flow(Pod + (uint)(operation % 7), (ushort)(39990 + operation % 60), (ushort)(80 + operation % 3));
            int heldBefore = held.Count(f => f.DestinationPort == original.DestinationPort);
            if (allocator.TryAllocate(original, out ushort port))
            {
                FlowTuple translated = Translated(original, port);
                Assert.True(range.Contains(port));
                Assert.DoesNotContain(translated, held);
                held.Add(translated);
            }
            else
            {
                Assert.Equal(range.Size, heldBefore);
            }
            Assert.Equal(held.Count, allocator.InUse);
            Assert.Equal(held.Count(f => f.DestinationPort == original.DestinationPort),
                allocator.InUseToward(FlowDestination.Of(original)));
        }
    }

    [Fact]
    public void A_free_original_port_in_range_is_kept_and_a_taken_one_is_replaced()
    {
        var allocator = new SnatPortAllocator(Node, new System.Random(1), randomFully: false);

        Assert.True(allocator.TryAllocate(Flow(Pod, 40000), out ushort first));
        Assert.True(allocator.TryAllocate(Flow(Pod + 1, 40000), out ushort second));
        Assert.True(allocator.TryAllocate(Flow(Pod + 1, 40000, destinationPort: 80), out ushort otherDestination));

        Assert.Equal(40000, first);
        Assert.NotEqual(40000, second);
        Assert.True(PortRange.LinuxEphemeral.Contains(second));
        Assert.Equal(40000, otherDestination);
        Assert.Equal(1, allocator.Clashes);
        Assert.Equal(3, allocator.Allocated);
    }

    [Fact]
    public void An_original_port_outside_the_range_is_replaced_by_one_inside_without_a_clash()
    {
        var allocator = new SnatPortAllocator(Node, new System.Random(1), randomFully: false);
        Assert.True(allocator.TryAllocate(Flow(Pod, 80), out ushort port));
        Assert.True(PortRange.LinuxEphemeral.Contains(port));
        Assert.Equal(0, allocator.Clashes);
    }

    [Fact]
    public void Random_fully_does_not_keep_the_original_port()
    {
        var allocator = new SnatPortAllocator(Node, new System.Random(1), randomFully: true);
        int kept = 0;
        for (ushort i = 0; i < 100; i++)
        {
            Assert.True(allocator.TryAllocate(Flow(Pod + i, (ushort)(40000 + i)), out ushort port));
            if (port == 40000 + i) kept++;
        }
        Assert.True(kept <= 2, $"{kept} of 100 flows kept their port; random choice keeps about 100/28,232.");
    }

    [Fact]
    public void A_small_range_gives_exactly_its_size_toward_one_destination_and_more_toward_another()
    {
        var range = PortRange.Parse("50000-50099");
        var allocator = new SnatPortAllocator(Node, new System.Random(3), randomFully: true, range);
        for (ushort i = 0; i < range.Size; i++) Assert.True(allocator.TryAllocate(Flow(Pod, i), out _));

        Assert.False(allocator.TryAllocate(Flow(Pod, 999), out _));
        Assert.Equal(1, allocator.Failures);
        Assert.True(allocator.TryAllocate(Flow(Pod, 999, destinationPort: 80), out _));
        Assert.Equal(range.Size + 1, allocator.PeakInUse);
    }

    [Fact]
    public void The_default_range_fails_once_nearly_full_because_the_kernel_caps_its_probes()
    {
        // The kernel gives up after 248 probes (128 + 64 + 32 + 16 + 8), so with 28,232 ports
        // the first failure comes before the range is full. Linear probing from random offsets
        // packs taken ports into runs, so it comes sooner than independent probes suggest:
        // over 80 seeds the first failure came at 85–93 % occupancy (median 90 %).
        var allocator = new SnatPortAllocator(Node, new System.Random(11), randomFully: true);
        int size = PortRange.LinuxEphemeral.Size;
        int successes = 0;
        while (allocator.TryAllocate(Flow(Pod, 1), out _)) successes++;

        Assert.InRange(successes, (int)(0.8 * size), size - 1);
        Assert.Equal(successes, allocator.InUse);
        Assert.True(allocator.TryAllocate(Flow(Pod, 1, destinationPort: 80), out _));
    }

    [Fact]
    public void A_released_port_can_be_taken_again_and_a_port_not_held_cannot_be_released()
    {
        var allocator = new SnatPortAllocator(Node, new System.Random(1), randomFully: false);
        FlowTuple original = Flow(Pod, 40000);
        Assert.True(allocator.TryAllocate(original, out ushort port));
        allocator.Release(Translated(original, port));
        Assert.Equal(0, allocator.InUse);

        Assert.Throws<InvalidOperationException>(() => allocator.Release(Translated(original, port)));
        Assert.True(allocator.TryAllocate(Flow(Pod + 1, 40000), out ushort again));
        Assert.Equal(port, again);
        Assert.Equal(0, allocator.Clashes);
    }
}
