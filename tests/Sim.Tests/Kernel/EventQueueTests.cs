using ClusterNetPerf.Sim.Kernel;
using FsCheck.Xunit;

namespace ClusterNetPerf.Sim.Tests.Kernel;

public sealed class EventQueueTests
{
    private sealed class Target : IEventTarget
    {
        public void OnEvent(int kind, long argument) => throw new InvalidOperationException("the queue does not dispatch");
    }

    /// <summary>
    /// Random schedules, cancels and pops (some bounded by a limit, as <c>RunUntil</c> does)
    /// against a reference <see cref="PriorityQueue{TElement,TPriority}"/> keyed by (time,
    /// sequence): the queue must pop exactly the reference's events in exactly its order.
    /// Delays range from 0 (equal to now) and a few ns (many equal times) to hours; a burst
    /// schedules up to 600 events at once, more than one chunk of a bucket.
    /// </summary>
    [Property(MaxTest = 300, EndSize = 300)]
    public bool Pops_in_the_time_then_scheduling_order_of_a_reference_queue((byte Op, byte Scale, ushort Value)[] steps)
    {
        var queue = new EventQueue();
        var target = new Target();
        var reference = new PriorityQueue<long, (long Time, long Sequence)>();
        var handles = new List<EventHandle>();
        var cancelled = new HashSet<long>();
        long now = 0;
        long sequence = 0;

        void Schedule(long time)
        {
            handles.Add(queue.Enqueue(time, target, 0, sequence));
            reference.Enqueue(sequence, (time, sequence));
            sequence++;
        }

        bool PopBoth(long limit)
        {
            while (reference.TryPeek(out long id, out (long Time, long Sequence) key) && cancelled.Contains(id)) reference.Dequeue();
            bool expected = reference.TryPeek(out long expectedId, out (long Time, long Sequence) expectedKey) && expectedKey.Time <= limit;
            bool popped = queue.TryDequeue(limit, out long time, out _, out _, out long argument);
            if (popped != expected) return false;
            if (!popped)
            {
                if (limit != long.MaxValue) now = Math.Max(now, limit); // the simulator's clock moves to the limit
                return true;
            }
            reference.Dequeue();
            now = time;
            return time == expectedKey.Time && argument == expectedId;
        }

        foreach ((byte op, byte scale, ushort value) in steps)
        {
            long delay = (scale % 5) switch
            {
                0 => 0,
                1 => value % 4,
                2 => value,
                3 => value * 1_000_000L,
                _ => value * 55_000_000_000L, // up to 1,000 h
            };
            switch (op % 8)
            {
                case 0 or 1 or 2:
                    Schedule(now + delay);
                    break;
                case 3:
                    for (int i = value % 600; i >= 0; i--) Schedule(now + delay + i % 3);
                    break;
                case 4 or 5:
                    if (!PopBoth(long.MaxValue)) return false;
                    break;
                case 6:
                    if (handles.Count == 0) break;
                    int victim = value % handles.Count;
                    bool live = !cancelled.Contains(victim) && queue.Cancel(handles[victim]);
                    if (live) cancelled.Add(victim);
                    if (queue.Cancel(handles[victim])) return false; // a second cancel must do nothing
                    break;
                default:
                    if (!PopBoth(now + delay)) return false;
                    break;
            }
            if (queue.Count != reference.UnorderedItems.Count(item => !cancelled.Contains(item.Element))) return false;
        }
        while (queue.Count > 0 || reference.Count > 0)
        {
            if (!PopBoth(long.MaxValue)) return false;
            if (queue.Count == 0 && reference.UnorderedItems.All(item => cancelled.Contains(item.Element))) break;
        }
        return !queue.TryDequeue(long.MaxValue, out _, out _, out _, out _);
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
