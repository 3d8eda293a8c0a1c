using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ClusterNetPerf.Sim.Kernel;

/// <summary>
/// The pending-event set: a 4-ary min-heap of small value nodes keyed by (time, sequence),
/// with each event's payload kept in a slot table beside it.
/// </summary>
/// <remarks>
/// <para>Cost and memory (n = pending events):</para>
/// <list type="table">
/// <listheader><term>operation</term><description>cost</description></listheader>
/// <item><term>Enqueue</term><description>O(log₄ n), no allocation once the arrays have grown</description></item>
/// <item><term>Dequeue</term><description>O(log₄ n): about half the levels of a binary heap, at 3 extra compares per level</description></item>
/// <item><term>Cancel</term><description>O(1): the slot is emptied and its node skipped when it surfaces (lazy deletion)</description></item>
/// <item><term>Memory</term><description>24 bytes per heap node + 24 bytes per slot</description></item>
/// </list>
/// <para>The heap moves a hole instead of swapping, as dotnet/runtime's
/// <c>PriorityQueue</c> does. Nodes carry only the key and a slot index so that sifting
/// moves 24 bytes, not the payload. The sequence number is the tie-breaker that makes
/// equal-time events run in the order they were scheduled.</para>
/// </remarks>
internal sealed class EventQueue
{
    private const int Arity = 4;
    private const int Log2Arity = 2;

    private struct Node
    {
        public long Time;
        public long Sequence;
        public int Slot;
    }

    private struct Slot
    {
        public IEventTarget? Target;
        public long Argument;
        public int Kind;
        public int Generation;
    }

    private Node[] _heap = new Node[1024];
    private int _count;
    private Slot[] _slots = new Slot[1024];
    private int[] _freeSlots = new int[1024];
    private int _freeCount;
    private int _slotsUsed;
    private long _nextSequence;
    private int _cancelledInHeap;

    /// <summary>Events scheduled and not yet run or cancelled.</summary>
    public int Count => _count - _cancelledInHeap;

    public EventHandle Enqueue(long time, IEventTarget target, int kind, long argument)
    {
        int slot = AllocateSlot();
        ref Slot s = ref _slots[slot];
        s.Target = target;
        s.Kind = kind;
        s.Argument = argument;

        if (_count == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        SiftUp(_count++, new Node { Time = time, Sequence = _nextSequence++, Slot = slot });
        return new EventHandle(slot, s.Generation);
    }

    public bool Cancel(EventHandle handle)
    {
        if ((uint)handle.Slot >= (uint)_slotsUsed) return false;
        ref Slot s = ref _slots[handle.Slot];
        if (s.Generation != handle.Generation || s.Target is null) return false;
        s.Target = null;
        s.Generation++;
        _cancelledInHeap++;
        return true;
    }

    /// <summary>
    /// Removes the earliest live event whose time is at most <paramref name="limit"/>.
    /// Cancelled nodes met on the way are discarded.
    /// </summary>
    public bool TryDequeue(long limit, out long time, out IEventTarget target, out int kind, out long argument)
    {
        while (_count > 0)
        {
            ref Node root = ref _heap[0];
            if (root.Time > limit) break;
            time = root.Time;
            int slot = root.Slot;
            RemoveRoot();

            ref Slot s = ref _slots[slot];
            IEventTarget? t = s.Target;
            if (t is null)
            {
                _cancelledInHeap--;
                FreeSlot(slot);
                continue;
            }
            target = t;
            kind = s.Kind;
            argument = s.Argument;
            s.Target = null;
            s.Generation++;
            FreeSlot(slot);
            return true;
        }
        time = 0;
        target = null!;
        kind = 0;
        argument = 0;
        return false;
    }

    /// <summary>The time of the earliest pending node (possibly a cancelled one), or <see cref="long.MaxValue"/>.</summary>
    public long PeekTime() => _count > 0 ? _heap[0].Time : long.MaxValue;

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

    private void RemoveRoot()
    {
        int last = --_count;
        if (last > 0) SiftDown(0, _heap[last]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Precedes(in Node a, in Node b) =>
        a.Time < b.Time || (a.Time == b.Time && a.Sequence < b.Sequence);

    private void SiftUp(int hole, Node node)
    {
        Node[] heap = _heap;
        while (hole > 0)
        {
            int parent = (hole - 1) >> Log2Arity;
            if (!Precedes(node, heap[parent])) break;
            heap[hole] = heap[parent];
            hole = parent;
        }
        heap[hole] = node;
    }

    private void SiftDown(int hole, Node node)
    {
        Node[] heap = _heap;
        int count = _count;
        while (true)
        {
            int first = (hole << Log2Arity) + 1;
            if (first >= count) break;
            int best = first;
            int end = Math.Min(first + Arity, count);
            for (int child = first + 1; child < end; child++)
                if (Precedes(heap[child], heap[best])) best = child;
            if (!Precedes(heap[best], node)) break;
            heap[hole] = heap[best];
            hole = best;
        }
        heap[hole] = node;
        Debug.Assert(hole < count);
    }
}
