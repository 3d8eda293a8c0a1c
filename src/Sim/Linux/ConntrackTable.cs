using System.Diagnostics;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Sim.Linux;

/// <summary>
/// A node's connection-tracking table (nf_conntrack): one entry per flow, found by its tuple
/// in either direction (Linux hashes each entry twice, original and reply), so a reply packet
/// finds the entry and is un-NATed. Entries expire after their state's timeout. When the table
/// holds <see cref="MaxEntries"/> entries a new flow is refused, unless a non-assured entry
/// can be early-dropped first, as Linux does.
/// </summary>
/// <remarks>
/// <para>Expiry needs no events: each state's timeout is a constant, so entries that entered a
/// state expire in the order they entered it; one FIFO per state holds (entry, version,
/// deadline), and every operation first retires what is due, at its own deadline, so
/// occupancy statistics are exact. A state change re-arms the timer by queueing a new
/// version; the old record is skipped when it surfaces.</para>
/// <para>Memory grows with live entries, not with <see cref="MaxEntries"/>. All operations are
/// O(1) amortised and allocate nothing once the pools have grown.</para>
/// <para>Early drop (net/netfilter/nf_conntrack_core.c, <c>early_drop</c>): Linux scans the
/// entries of up to 8 hash buckets from the new tuple's bucket for one that is not assured.
/// Here: the scan sees k = 8 × MaxEntries / Buckets entries; it finds a non-assured one with
/// probability 1 − (1 − u)^k, u being the non-assured fraction, and evicts one at random.</para>
/// </remarks>
public sealed class ConntrackTable
{
    private const int EvictionRangeBuckets = 8;
    private const int CompactionSlack = 1024;

    private struct Entry
    {
        public FlowTuple Original;
        public FlowTuple Reply;
        public int Version;
        public int Generation;
        public int UnassuredPosition;
        public ConntrackState State;
        public bool Live;
    }

    private readonly record struct Deadline(int Entry, int Version, long At);

    private readonly Dictionary<FlowTuple, int> _byTuple = new();
    private readonly Queue<Deadline>[] _deadlines;
    private readonly int[] _entriesInState;
    private readonly ConntrackTimeouts _timeouts;
    private readonly System.Random _random;
    private readonly double _entriesScannedOnEarlyDrop;
    private readonly TimeWeightedAverage _occupancy = new(SimTime.Zero);
    private Entry[] _entries = new Entry[64];
    private int[] _freeEntries = new int[64];
    private int _freeCount;
    private int _entriesUsed;
    private int[] _unassured = new int[64];
    private int _unassuredCount;

    /// <param name="maxEntries">nf_conntrack_max.</param>
    /// <param name="buckets">nf_conntrack_buckets (hashsize); kube-proxy sets max / 4.</param>
    /// <param name="timeouts">Per-state timeouts.</param>
    /// <param name="random">The stream early-drop draws from.</param>
    public ConntrackTable(long maxEntries, long buckets, ConntrackTimeouts timeouts, System.Random random)
    {
        if (maxEntries < 1) throw new ArgumentOutOfRangeException(nameof(maxEntries), "A conntrack table holds at least one entry.");
        if (buckets < 1) throw new ArgumentOutOfRangeException(nameof(buckets), "A conntrack table has at least one bucket.");
        MaxEntries = maxEntries;
        Buckets = buckets;
        _timeouts = timeouts;
        _random = random;
        _entriesScannedOnEarlyDrop = EvictionRangeBuckets * (double)maxEntries / buckets;
        _deadlines = new Queue<Deadline>[Enum.GetValues<ConntrackState>().Length];
        for (int i = 0; i < _deadlines.Length; i++) _deadlines[i] = new Queue<Deadline>();
        _entriesInState = new int[_deadlines.Length];
    }

    /// <summary>Told of every removed entry; null when nothing depends on entry lifetimes.</summary>
    public IConntrackRemovalListener? RemovalListener { get; set; }

    /// <summary>nf_conntrack_max: the most entries the table holds.</summary>
    public long MaxEntries { get; }
    /// <summary>nf_conntrack_buckets.</summary>
    public long Buckets { get; }

    /// <summary>Live entries (after retiring those due by the last operation's time).</summary>
    public long Count { get; private set; }
    /// <summary>Entries created in the window.</summary>
    public long Inserted { get; private set; }
    /// <summary>New flows refused because the table was full, in the window.</summary>
    public long DroppedFull { get; private set; }
    /// <summary>Non-assured entries evicted to make room, in the window.</summary>
    public long EarlyDropped { get; private set; }
    /// <summary>Highest occupancy in the window.</summary>
    public long Peak => (long)_occupancy.Peak;

    /// <summary>Time-average occupancy over the window up to <paramref name="now"/>.</summary>
    public double MeanOccupancy(SimTime now)
    {
        Expire(now);
        return _occupancy.Mean(now);
    }

    /// <summary>Starts the measurement window (after warm-up): counters and statistics restart.</summary>
    public void StartWindow(SimTime now)
    {
        Expire(now);
        _occupancy.StartWindow(now);
        Inserted = 0;
        DroppedFull = 0;
        EarlyDropped = 0;
    }

    /// <summary>
    /// Creates the entry of a new flow seen as <paramref name="original"/>, whose replies will
    /// carry <paramref name="reply"/> (the reversed tuple after any NAT).
    /// </summary>
    /// <param name="id">The new entry's id, or <see cref="ConntrackEntryId.None"/> if none was made.</param>
    public ConntrackInsertResult TryInsert(SimTime now, in FlowTuple original, in FlowTuple reply, ConntrackState state, out ConntrackEntryId id)
    {
        Expire(now);
        id = ConntrackEntryId.None;
        if (_byTuple.ContainsKey(original) || _byTuple.ContainsKey(reply)) return ConntrackInsertResult.Clash;
        if (Count >= MaxEntries && !TryEarlyDrop(now))
        {
            DroppedFull++;
            return ConntrackInsertResult.TableFull;
        }
        int entry = AllocateEntry();
        ref Entry e = ref _entries[entry];
        e.Original = original;
        e.Reply = reply;
        e.Live = true;
        e.UnassuredPosition = -1;
        e.State = state;
        _entriesInState[(int)state]++;
        _byTuple.Add(original, entry);
        _byTuple.Add(reply, entry);
        Count++;
        Inserted++;
        _occupancy.Update(now, Count);
        Enter(now, entry, state);
        id = new ConntrackEntryId(entry, e.Generation);
        return ConntrackInsertResult.Inserted;
    }

    /// <summary>Finds the entry a packet with <paramref name="tuple"/> belongs to.</summary>
    /// <param name="isReply">True if the packet travels in the reply direction.</param>
    public bool TryLookup(SimTime now, in FlowTuple tuple, out ConntrackEntryId id, out bool isReply)
    {
        Expire(now);
        if (_byTuple.TryGetValue(tuple, out int entry))
        {
            id = new ConntrackEntryId(entry, _entries[entry].Generation);
            isReply = _entries[entry].Reply.Equals(tuple);
            return true;
        }
        id = ConntrackEntryId.None;
        isReply = false;
        return false;
    }

    /// <summary>The tuple the flow's first packet had.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="id"/> is stale.</exception>
    public FlowTuple Original(ConntrackEntryId id) => _entries[LiveSlot(id)].Original;
    /// <summary>The tuple its replies carry (after NAT).</summary>
    /// <exception cref="InvalidOperationException"><paramref name="id"/> is stale.</exception>
    public FlowTuple Reply(ConntrackEntryId id) => _entries[LiveSlot(id)].Reply;
    /// <summary>The entry's state.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="id"/> is stale.</exception>
    public ConntrackState State(ConntrackEntryId id) => _entries[LiveSlot(id)].State;

    /// <summary>Whether <paramref name="id"/> names a live entry (not one removed since, nor the slot's next tenant).</summary>
    public bool IsLive(ConntrackEntryId id) =>
        (uint)id.Slot < (uint)_entriesUsed && _entries[id.Slot].Live && _entries[id.Slot].Generation == id.Generation;

    /// <summary>Moves the entry to <paramref name="state"/> and re-arms its timeout; a stale id changes nothing.</summary>
    /// <returns>Whether the entry was live.</returns>
    public bool SetState(SimTime now, ConntrackEntryId id, ConntrackState state)
    {
        Expire(now);
        if (!IsLive(id)) return false;
        Enter(now, id.Slot, state);
        return true;
    }

    private int LiveSlot(ConntrackEntryId id) =>
        IsLive(id) ? id.Slot : throw new InvalidOperationException($"Conntrack entry {id} is no longer live.");

    /// <summary>Retires every entry whose timeout has passed by <paramref name="now"/>, at its own deadline.</summary>
    public void Expire(SimTime now)
    {
        while (true)
        {
            Queue<Deadline>? earliest = null;
            long earliestAt = long.MaxValue;
            foreach (Queue<Deadline> queue in _deadlines)
            {
                if (queue.Count > 0 && queue.Peek().At < earliestAt)
                {
                    earliestAt = queue.Peek().At;
                    earliest = queue;
                }
            }
            if (earliest is null || earliestAt > now.Nanoseconds) return;
            Deadline due = earliest.Dequeue();
            if (_entries[due.Entry].Live && _entries[due.Entry].Version == due.Version)
                Remove(new SimTime(due.At), due.Entry);
        }
    }

    private void Enter(SimTime now, int entry, ConntrackState state)
    {
        ref Entry e = ref _entries[entry];
        _entriesInState[(int)e.State]--;
        _entriesInState[(int)state]++;
        e.State = state;
        e.Version++;
        bool assured = state is ConntrackState.TcpEstablished or ConntrackState.TcpTimeWait or ConntrackState.UdpReplied;
        if (assured && e.UnassuredPosition >= 0) RemoveUnassured(entry);
        else if (!assured && e.UnassuredPosition < 0) AddUnassured(entry);
        Queue<Deadline> deadlines = _deadlines[(int)state];
        deadlines.Enqueue(new Deadline(entry, e.Version, now.Nanoseconds + _timeouts.For(state).Nanoseconds));
        if (deadlines.Count > 2 * _entriesInState[(int)state] + CompactionSlack) DropStaleDeadlines(deadlines);
    }

    /// <summary>
    /// A state change leaves the old deadline queued until it surfaces; with long timeouts
    /// (SYN_SENT 120 s, ESTABLISHED a day) such stale records would pile up. When they outnumber
    /// the live ones the queue is filtered in place, in order: amortised O(1), memory bounded.
    /// </summary>
    private void DropStaleDeadlines(Queue<Deadline> deadlines)
    {
        for (int i = deadlines.Count; i > 0; i--)
        {
            Deadline d = deadlines.Dequeue();
            if (_entries[d.Entry].Live && _entries[d.Entry].Version == d.Version) deadlines.Enqueue(d);
        }
    }

    private bool TryEarlyDrop(SimTime now)
    {
        if (_unassuredCount == 0) return false;
        double unassuredFraction = _unassuredCount / (double)Count;
        double found = 1 - Math.Pow(1 - unassuredFraction, _entriesScannedOnEarlyDrop);
        if (_random.NextDouble() >= found) return false;
        Remove(now, _unassured[_random.Next(_unassuredCount)]);
        EarlyDropped++;
        return true;
    }

    private void Remove(SimTime at, int entry)
    {
        ref Entry e = ref _entries[entry];
        Debug.Assert(e.Live);
        var removed = new ConntrackEntryId(entry, e.Generation);
        _byTuple.Remove(e.Original);
        _byTuple.Remove(e.Reply);
        if (e.UnassuredPosition >= 0) RemoveUnassured(entry);
        e.Live = false;
        e.Version++;
        e.Generation++;
        _entriesInState[(int)e.State]--;
        _freeEntries[_freeCount++] = entry;
        Count--;
        _occupancy.Update(at, Count);
        RemovalListener?.EntryRemoved(removed, e.Original, e.Reply);
    }

    private int AllocateEntry()
    {
        if (_freeCount > 0) return _freeEntries[--_freeCount];
        if (_entriesUsed == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
            Array.Resize(ref _freeEntries, _entries.Length);
        }
        return _entriesUsed++;
    }

    private void AddUnassured(int entry)
    {
        if (_unassuredCount == _unassured.Length) Array.Resize(ref _unassured, _unassured.Length * 2);
        _entries[entry].UnassuredPosition = _unassuredCount;
        _unassured[_unassuredCount++] = entry;
    }

    private void RemoveUnassured(int entry)
    {
        int position = _entries[entry].UnassuredPosition;
        int last = _unassured[--_unassuredCount];
        _unassured[position] = last;
        _entries[last].UnassuredPosition = position;
        _entries[entry].UnassuredPosition = -1;
    }
}
