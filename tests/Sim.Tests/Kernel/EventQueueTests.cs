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
    /// An <see cref="EventQueue"/> driven beside a reference <see cref="PriorityQueue{TElement,TPriority}"/>
    /// keyed by (time, sequence); each pop reports whether the two agree on the event and its time.
    /// </summary>
    private sealed class CheckedQueue
    {
        private readonly EventQueue _queue = new();
        private readonly Target _target = new();
        private readonly PriorityQueue<long, (long Time, long Sequence)> _reference = new();
        private readonly List<EventHandle> _handles = [];
        private readonly HashSet<long> _cancelled = [];
        private long _sequence;

        /// <summary>The clock: the last popped time, or the limit of a pop that found nothing due.</summary>
        public long Now { get; private set; }

        public int Scheduled => _handles.Count;

        public void Schedule(long time)
        {
            _handles.Add(_queue.Enqueue(time, _target, 0, _sequence));
            _reference.Enqueue(_sequence, (time, _sequence));
            _sequence++;
        }

        /// <summary>Cancels the i-th scheduled event (if still pending); false if the queue disagrees, or a second cancel succeeds.</summary>
        public bool Cancel(int i)
        {
            bool live = !_cancelled.Contains(i) && _queue.Cancel(_handles[i]);
            if (live) _cancelled.Add(i);
            return !_queue.Cancel(_handles[i]);
        }

        /// <summary>Pops the earliest event due by <paramref name="limit"/> from both; false if they disagree.</summary>
        public bool Pop(long limit, out bool popped)
        {
            while (_reference.TryPeek(out long id, out _) && _cancelled.Contains(id)) _reference.Dequeue();
            bool expected = _reference.TryPeek(out long expectedId, out (long Time, long Sequence) expectedKey) && expectedKey.Time <= limit;
            popped = _queue.TryDequeue(limit, out long time, out _, out _, out long argument);
            if (popped != expected) return false;
            if (!popped)
            {
                if (limit != long.MaxValue) Now = Math.Max(Now, limit); // the simulator's clock moves to the limit
                return true;
            }
            _reference.Dequeue();
            Now = time;
            return time == expectedKey.Time && argument == expectedId;
        }

        public bool CountsAgree => _queue.Count == _reference.UnorderedItems.Count(item => !_cancelled.Contains(item.Element));

        /// <summary>Pops everything left; false at the first disagreement.</summary>
        public bool Drain()
        {
            bool popped;
            do
            {
                if (!Pop(long.MaxValue, out popped)) return false;
            } while (popped);
            return CountsAgree && _queue.Count == 0;
        }
    }

    /// <summary>
    /// Random schedules, cancels and pops (some bounded by a limit, as <c>RunUntil</c> does):
    /// the queue must pop exactly the reference's events in exactly its (time, sequence) order.
    /// Delays range from 0 (equal to now) and a few ns (many equal times) to hours; a burst
    /// schedules up to 600 events at once, more than one chunk of a bucket.
    /// </summary>
    [Property(MaxTest = 300, EndSize = 300)]
    public bool Pops_in_the_time_then_scheduling_order_of_a_reference_queue((byte Op, byte Scale, ushort Value)[] steps)
    {
        var queue = new CheckedQueue();
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
            bool agree = (op % 8) switch
            {
                0 or 1 or 2 => Schedule(queue, queue.Now + delay, 1),
                3 => Schedule(queue, queue.Now + delay, 1 + value % 600),
                4 or 5 => queue.Pop(long.MaxValue, out _),
                6 => queue.Scheduled == 0 || queue.Cancel(value % queue.Scheduled),
                _ => queue.Pop(queue.Now + delay, out _),
            };
            if (!agree || !queue.CountsAgree) return false;
        }
        return queue.Drain();
    }

    /// <summary>
    /// A run stepped by <c>RunUntil</c> in slices of every scale, with events from 0 ns to about
    /// 17 s ahead and new ones scheduled at each slice's end (some exactly there): the limits
    /// fall inside far buckets' ranges, where the queue rebases on them.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Stepped_limits_keep_the_reference_order(int seed)
    {
        var random = new System.Random(seed);
        long LogUniformNs() => random.Next(4) == 0 ? 0 : (long)Math.Pow(2, random.NextDouble() * 34);
        var queue = new CheckedQueue();
        for (int i = 0; i < 2_000; i++) queue.Schedule(LogUniformNs());
        for (int slice = 0; slice < 3_000; slice++)
        {
            long limit = queue.Now + LogUniformNs();
            bool popped;
            do
            {
                Assert.True(queue.Pop(limit, out popped));
            } while (popped);
            Assert.Equal(limit, queue.Now);
            for (int i = random.Next(3); i >= 0; i--) queue.Schedule(queue.Now + LogUniformNs());
            if (random.Next(4) == 0) queue.Cancel(random.Next(queue.Scheduled));
            Assert.True(queue.CountsAgree);
        }
        Assert.True(queue.Drain());
    }

    private static bool Schedule(CheckedQueue queue, long time, int count)
    {
        for (int i = 0; i < count; i++) queue.Schedule(time + i % 3);
        return true;
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
