using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ClusterNetPerf.Sim.Kernel;

/// <summary>
/// The pending-event set: a radix heap over integer time with 16-way digits, its buckets FIFO
/// lists of 16-byte nodes in 1 KiB chunks, and each event's payload kept in a slot table beside it.
/// </summary>
/// <remarks>
/// <para>Cost and memory (n = pending events, d = how far ahead of the clock an event is scheduled, in ns):</para>
/// <list type="table">
/// <listheader><term>operation</term><description>cost</description></listheader>
/// <item><term>Enqueue</term><description>O(1): append to the bucket named by the highest hex digit in which the time differs from the last time, and that digit's value</description></item>
/// <item><term>Dequeue</term><description>O(log₁₆ d) amortised: a node moves down at most once per hex digit of d (twice for d under 4 µs), each move a sequential read and append; a lowest-level bucket holds one time and becomes bucket 0 without moving</description></item>
/// <item><term>Cancel</term><description>O(1): the slot is emptied and its node skipped when it surfaces (lazy deletion)</description></item>
/// <item><term>Memory</term><description>16 bytes per node + 24 bytes per slot, plus one part-filled chunk per bucket in use (at most 256, typically 20–40) and the free chunks left by the peak</description></item>
/// </list>
/// <para>A radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, "Faster algorithms for the shortest
/// path problem", J. ACM 37(2), 1990) needs what a simulator has: integer keys and a minimum
/// that never decreases, since no event is scheduled before now. Bucket 0 holds the nodes due
/// at the last time; bucket (level ℓ, digit v) those whose time first differs from it in hex
/// digit ℓ, where the time's digit is v. When bucket 0 runs dry, the lowest non-empty bucket's
/// minimum becomes the new last time and its nodes move, in order, to lower buckets. Every node
/// of one time is in the same bucket, and appends and moves keep their order, so equal-time
/// events leave bucket 0 in the order they were scheduled with no sequence number to compare.
/// Nodes are read and written sequentially, not sifted through a tree: at 10⁵–10⁶ pending a
/// heap's lower levels miss the cache at every level, a bucket move streams. Chunks are
/// recycled through a free list, so the queue allocates only when the pending count passes its
/// previous peak. A heap's trick of leaving the dispatched event at the root for its successor
/// to replace has no counterpart here: a push is O(1), and nodes move only when bucket 0 runs dry.</para>
/// <para>Measured in tests/Benchmarks (KernelHoldBenchmarks, per event against a bare
/// <c>PriorityQueue</c> loop in the same run at 10³ / 10⁵ / 10⁶ pending, on a loaded 2-core
/// machine): the previous 4-ary heap of 16-byte (time, sequence | slot) nodes, with the
/// dispatched event replaced at the root by its successor, 1.10× / 1.22× / 1.03× (earlier
/// quieter runs 1.12× / 1.51× / 1.22×); a radix heap with one-bit digits 0.93× / 0.78× / 0.38×;
/// this one with 4 KiB chunks 0.48× / 0.72× / 0.65× (across three runs 0.48–0.82× /
/// 0.44–0.91× / 0.37–0.65×), with 1 KiB chunks 0.56× / 0.68× / 0.54× (±0.05 / ±0.10 / ±0.18),
/// 0 bytes per event.</para>
/// </remarks>
internal sealed class EventQueue
{
    // A time is compared with the last time digit by digit, DigitBits to a digit. Four bits,
    // not the textbook one: a node scheduled 1 µs ahead moves twice, not about ten times, and
    // the lowest level's buckets each hold a single time. Times are never negative (the clock
    // starts at 0 and never goes back), so they have 63 bits.
    private const int DigitBits = 4;
    private const int DigitMask = (1 << DigitBits) - 1;
    private const int Levels = (63 + DigitBits - 1) / DigitBits;
    private const int BucketCount = Levels << DigitBits;
    private const int OccupancyWords = (BucketCount + 63) / 64;
    // 64 nodes a chunk: a bucket in use wastes at most one part-filled chunk, and with 256
    // buckets, 4 KiB chunks let that waste outgrow the nodes (a connection workload's store
    // still grew after 3 s of warm-up; ConnectionEngineAllocationTests).
    private const int ChunkShift = 6;
    private const int ChunkSize = 1 << ChunkShift;

    private struct Node
    {
        public long Time;
        public int Slot;
    }

    private struct Slot
    {
        public IEventTarget? Target;
        public long Argument;
        public int Kind;
        public int Generation;
    }

    /// <summary>A FIFO list of chunks. An empty bucket has <see cref="Tail"/> −1 and <see cref="End"/> = chunk size, so one compare tells an append it needs a new chunk.</summary>
    private struct Bucket
    {
        public int Head;
        public int Tail;
        public int Start;
        public int End;
        public long Min;
    }

    private Node[] _store = new Node[4 * ChunkSize];
    private int[] _nextChunk = new int[4];
    private int _freeChunk = -1;
    private int _freeChunkCount;
    private int _chunksUsed;

    private readonly Bucket[] _buckets = new Bucket[BucketCount];
    private readonly ulong[] _occupied = new ulong[OccupancyWords];
    private long _last;
    private long _lastDequeued;
    private int _count;
    private int _cancelledPending;

    private Slot[] _slots = new Slot[1024];
    private int[] _freeSlots = new int[1024];
    private int _freeCount;
    private int _slotsUsed;

    public EventQueue()
    {
        for (int b = 0; b < BucketCount; b++) ResetBucket(ref _buckets[b]);
    }

    /// <summary>Events scheduled and not yet run or cancelled.</summary>
    public int Count => _count - _cancelledPending;

    /// <summary>
    /// Schedules an event. <paramref name="time"/> must not be negative, nor before the time of
    /// the last event dequeued, nor before the limit of a <see cref="TryDequeue"/> that returned
    /// false (the simulator's clock, which never goes back, satisfies all three).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EventHandle Enqueue(long time, IEventTarget target, int kind, long argument)
    {
        Debug.Assert(time >= _last, "an event before the queue's floor");
        int slot = AllocateSlot();
        ref Slot s = ref _slots[slot];
        s.Target = target;
        s.Kind = kind;
        s.Argument = argument;
        _count++;
        Append(BucketOf(time), new Node { Time = time, Slot = slot });
        return new EventHandle(slot, s.Generation);
    }

    public bool Cancel(EventHandle handle)
    {
        if ((uint)handle.Slot >= (uint)_slotsUsed) return false;
        ref Slot s = ref _slots[handle.Slot];
        if (s.Generation != handle.Generation || s.Target is null) return false;
        s.Target = null;
        s.Generation++;
        _cancelledPending++;
        return true;
    }

    /// <summary>
    /// Removes the earliest live event whose time is at most <paramref name="limit"/>.
    /// Cancelled nodes met on the way are discarded. When it returns false, the queue may take
    /// <paramref name="limit"/> as its floor: later events must not be scheduled before it
    /// (the simulator's clock moves to the limit).
    /// </summary>
    public bool TryDequeue(long limit, out long time, out IEventTarget target, out int kind, out long argument)
    {
        while (true)
        {
            if ((_occupied[0] & 1) == 0 && !Refill(limit)) break;
            if (_last > limit) break;

            int slot = PopFirst();
            _count--;
            ref Slot s = ref _slots[slot];
            IEventTarget? t = s.Target;
            FreeSlot(slot);
            if (t is null)
            {
                _cancelledPending--;
                continue;
            }
            time = _last;
            _lastDequeued = time;
            target = t;
            kind = s.Kind;
            argument = s.Argument;
            s.Target = null;
            s.Generation++;
            return true;
        }
        time = 0;
        target = null!;
        kind = 0;
        argument = 0;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BucketOf(long time)
    {
        ulong differing = (ulong)(time ^ _last);
        if (differing == 0) return 0;
        int level = (63 - BitOperations.LeadingZeroCount(differing)) / DigitBits;
        return (level << DigitBits) | (int)((ulong)time >> (level * DigitBits)) & DigitMask;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append(int b, Node node)
    {
        ref Bucket bucket = ref _buckets[b];
        if (bucket.End == ChunkSize) AddChunk(ref bucket, b);
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_store), (bucket.Tail << ChunkShift) + bucket.End++) = node;
        if (node.Time < bucket.Min) bucket.Min = node.Time;
    }

    private void AddChunk(ref Bucket bucket, int b)
    {
        if (_freeChunkCount == 0) GrowChunks();
        int chunk = _freeChunk;
        _freeChunk = _nextChunk[chunk];
        _freeChunkCount--;
        _nextChunk[chunk] = -1;
        if (bucket.Tail < 0)
        {
            bucket.Head = chunk;
            bucket.Start = 0;
            _occupied[b >> 6] |= 1UL << b;
        }
        else
        {
            _nextChunk[bucket.Tail] = chunk;
        }
        bucket.Tail = chunk;
        bucket.End = 0;
    }

    private void FreeChunk(int chunk)
    {
        _nextChunk[chunk] = _freeChunk;
        _freeChunk = chunk;
        _freeChunkCount++;
    }

    private void GrowChunks()
    {
        if (_chunksUsed == _nextChunk.Length)
        {
            Array.Resize(ref _nextChunk, _nextChunk.Length * 2);
            Array.Resize(ref _store, _nextChunk.Length * ChunkSize);
        }
        FreeChunk(_chunksUsed++);
    }

    private static void ResetBucket(ref Bucket bucket)
    {
        bucket.Head = -1;
        bucket.Tail = -1;
        bucket.Start = 0;
        bucket.End = ChunkSize;
        bucket.Min = long.MaxValue;
    }

    /// <summary>Takes the oldest node of bucket 0, which must not be empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int PopFirst()
    {
        ref Bucket bucket = ref _buckets[0];
        int slot = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_store), (bucket.Head << ChunkShift) + bucket.Start++).Slot;
        if (bucket.Head == bucket.Tail)
        {
            if (bucket.Start == bucket.End)
            {
                FreeChunk(bucket.Head);
                ResetBucket(ref bucket);
                _occupied[0] &= ~1UL;
            }
        }
        else if (bucket.Start == ChunkSize)
        {
            int chunk = bucket.Head;
            bucket.Head = _nextChunk[chunk];
            bucket.Start = 0;
            FreeChunk(chunk);
        }
        return slot;
    }

    /// <summary>
    /// Bucket 0 is empty: moves the lowest non-empty bucket down, taking its minimum (or
    /// <paramref name="limit"/>, if that comes first) as the new last time. Returns true if
    /// bucket 0 now holds the events due at the new last time, false if nothing is due by the limit.
    /// </summary>
    private bool Refill(long limit)
    {
        int b = LowestOccupied();
        if (b < 0)
        {
            // Cancelled nodes may have carried the last time past the clock; with nothing
            // pending, the time of the last event dequeued is again a floor every bucket respects.
            _last = _lastDequeued;
            return false;
        }
        ref Bucket source = ref _buckets[b];
        long min = source.Min;
        if (b <= DigitMask)
        {
            // A bucket of the lowest level holds one time: it becomes bucket 0 whole, with no node moved.
            if (min > limit) return false;
            _last = min;
            _buckets[0] = source;
            ResetBucket(ref source);
            _occupied[0] = (_occupied[0] & ~(1UL << b)) | 1;
            return true;
        }
        if (min > limit)
        {
            // Nothing is due. Only once the limit (which lies between the last time and every
            // pending time) falls in this bucket's range does rebasing on it move the nodes to
            // lower levels; before that it would move them back into this bucket, and a run
            // stepped by RunUntil would pay for the whole bucket at every step.
            if (limit <= _last || BucketOf(limit) != b) return false;
            min = limit;
        }
        _last = min;
        bool due = min == source.Min;

        int chunk = source.Head;
        int tail = source.Tail;
        int tailEnd = source.End;
        ResetBucket(ref source);
        _occupied[b >> 6] &= ~(1UL << b);
        while (chunk >= 0)
        {
            // Read through the field, not a ref held across the loop: an append may grow the
            // store. Reserving chunks up front instead (one per bucket the nodes might reach)
            // raised the store's peak well above what the nodes need.
            int start = chunk << ChunkShift;
            int end = start + (chunk == tail ? tailEnd : ChunkSize);
            for (int i = start; i < end; i++)
            {
                Node node = _store[i];
                Append(BucketOf(node.Time), node);
            }
            int next = _nextChunk[chunk];
            FreeChunk(chunk);
            chunk = next;
        }
        return due;
    }

    private int LowestOccupied()
    {
        for (int w = 0; w < OccupancyWords; w++)
            if (_occupied[w] != 0) return (w << 6) + BitOperations.TrailingZeroCount(_occupied[w]);
        return -1;
    }

    private int AllocateSlot()
    {
        if (_freeCount > 0) return _freeSlots[--_freeCount];
        if (_slotsUsed == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
            Array.Resize(ref _freeSlots, _slots.Length);
        }
        return _slotsUsed++;
    }

    private void FreeSlot(int slot) => _freeSlots[_freeCount++] = slot;
}
