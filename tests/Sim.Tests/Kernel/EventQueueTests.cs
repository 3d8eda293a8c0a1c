using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Tests.Kernel;

public sealed class EventQueueTests
{
    private sealed class Target : IEventTarget
    {
        public void OnEvent(int kind, long argument) => throw new InvalidOperationException("the queue does not dispatch");
    }

    [Fact]
    public void Renumbering_sequences_keeps_time_order_and_equal_time_FIFO()
    {
        // A limit of 16 sequence numbers forces a renumbering every few schedules.
        var queue = new EventQueue(sequenceLimit: 16);
        var target = new Target();
        var random = new System.Random(5);
        var expected = new List<(long Time, long Id)>();
        var seen = new List<(long Time, long Id)>();
        long id = 0;
        long now = 0;
        for (int round = 0; round < 2_000; round++)
        {
            for (int i = random.Next(0, 3); i > 0; i--)
            {
                long time = now + random.Next(0, 4); // many equal times
                queue.Enqueue(time, target, 0, id);
                expected.Add((time, id++));
            }
            if (queue.TryDequeue(long.MaxValue, out long t, out _, out _, out long argument))
            {
                seen.Add((t, argument));
                now = t;
            }
        }
        while (queue.TryDequeue(long.MaxValue, out long t, out _, out _, out long argument)) seen.Add((t, argument));

        Assert.Equal(expected.Count, seen.Count);
        // Popped times never go back, and among equal times ids come out in scheduling order.
        for (int i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i].Time >= seen[i - 1].Time);
            if (seen[i].Time == seen[i - 1].Time) Assert.True(seen[i].Id > seen[i - 1].Id);
        }
    }

    [Fact]
    public void Cancelled_events_are_skipped_and_not_counted()
    {
        var queue = new EventQueue();
        var target = new Target();
        EventHandle[] handles = Enumerable.Range(0, 10).Select(i => queue.Enqueue(i, target, 0, i)).ToArray();
        foreach (EventHandle handle in handles.Where((_, i) => i % 2 == 0)) Assert.True(queue.Cancel(handle));
        Assert.Equal(5, queue.Count);
        var popped = new List<long>();
        while (queue.TryDequeue(long.MaxValue, out _, out _, out _, out long argument)) popped.Add(argument);
        Assert.Equal([1L, 3L, 5L, 7L, 9L], popped);
        Assert.Equal(0, queue.Count);
    }
}
