using System.Diagnostics;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Kernel.Sampling;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Sim.Linux;

/// <summary>
/// A node's connection-tracking table (nf_conntrack) as the kernel keeps it: one entry per flow,
/// found by its tuple in either direction, each entry hashed into two bucket chains (original and
/// reply). An entry whose timeout has passed is dead to lookups but still occupies the table
/// until the GC worker or a lookup meets it. A new flow on a full table may early-drop a
/// non-assured entry; when even that fails, the GC's next pass early-drops down to 95 %.
/// </summary>
/// <remarks>
/// <para>Read from torvalds/linux net/netfilter/nf_conntrack_core.c (5.15 and 6.x):
/// <c>__nf_conntrack_alloc</c> refuses a flow when the count would exceed nf_conntrack_max and
/// <c>early_drop</c> fails, and then only sets <c>conntrack_gc_work.early_drop</c>;
/// <c>early_drop</c> walks NF_CT_EVICTION_RANGE = 8 buckets from the new tuple's and deletes
/// every non-assured entry of the first bucket that has any (expired entries it meets are
/// reaped, but do not count: the packet is still dropped); <c>____nf_conntrack_find</c> and
/// <c>nf_conntrack_tuple_taken</c> reap the expired entries of the chain they walk;
/// <c>gc_worker</c> reaps every expired entry of the table and, when early_drop was requested
/// and the count is at least nf_conntrack_max / 100 × 95, kills each entry
/// <c>gc_worker_can_early_drop</c> allows (not assured, or TCP in a closing state:
/// <c>tcp_can_early_drop</c> in nf_conntrack_proto_tcp.c) until the count is below that.</para>
/// <para>The GC's schedule and early-drop budget depend on the <see cref="KernelVersion"/>
/// (<see cref="ConntrackGcSchedule"/>). A pass takes milliseconds against an interval of
/// seconds: it is modelled as instantaneous (on a 6.x table, whose runs reap at most
/// 64,000 / HZ entries a jiffy, an expired entry may wait up to 262,144 / 64,000 ≈ 4 s longer
/// when a pass meets a full table of expired entries).</para>
/// <para>Buckets without touching every entry: hashes are uniform, so an entry's two chains are
/// two independent uniform buckets of B. A walk of one bucket meets each entry independently with
/// probability q₀ = 1 − (1 − 1/B)²; the k-th of the 8 consecutive buckets of <c>early_drop</c>
/// meets an entry not met in the buckets before with probability qₖ = 1 − ((B − k − 1)/(B − k))².
/// So the number of expired (or non-assured) entries a walk meets is exactly Binomial(n, qₖ), and
/// which ones is a uniform draw from the set: the model draws the count and picks that many from
/// the set, O(1 + n·qₖ) — at most the mean chain length 2 × count / B. This is exact for one walk;
/// across walks it forgets that an entry's buckets are fixed, an error of order 1/B per walk.
/// A hit walks its chain only up to the match; the model walks the whole chain. Lookups happen
/// on the packets the model tracks (handshake, close); data packets walk chains on a real node
/// too, so here lookups reap less than they do there.</para>
/// <para>The GC pass without touching every entry: it removes every expired entry (a set kept as
/// entries pass their deadline) and, when early-dropping, meets the expired and the droppable
/// entries in uniformly random order (bucket order), drawn one at a time while kills are
/// possible: O(entries removed).</para>
/// <para>Deadlines need no events: each state's timeout is a constant, so entries that entered a
/// state pass their deadline in the order they entered it; one FIFO per state holds (entry,
/// version, deadline), and every operation first brings the table to its time, in time order.
/// All operations are O(1) amortised, memory grows with the entries in the table (not with
/// <see cref="MaxEntries"/>), and nothing is allocated once the arrays have grown.</para>
/// </remarks>
public sealed class ConntrackTable
{
    private const int EvictionRangeBuckets = 8;
    private const int CompactionSlack = 1024;

    private enum Phase : byte
    {
        Free,
        Live,
        Expired,
    }

    private struct Entry
    {
        public FlowTuple Original;
        public FlowTuple Reply;
        public long Deadline;
        public int Generation;
        public int Version;
        public int SetPosition;
        public ConntrackState State;
        public Phase Phase;
        public bool Assured;
    }

    private readonly record struct Deadline(int Entry, int Version, long At);

    private readonly Dictionary<FlowTuple, int> _byTuple = new();
    private readonly Queue<Deadline>[] _deadlines;
    /// <summary>The deadline last queued per state: a prefill must not go back before it.</summary>
    private readonly long[] _lastDeadline;
    private readonly ConntrackGcSchedule _gc;
    private readonly ConntrackTimeouts _timeouts;
    private readonly System.Random _random;
    private readonly TimeWeightedAverage _occupancy = new(SimTime.Zero);
    private readonly SlotSet _unassured = new();
    private readonly SlotSet _closing = new();
    private readonly SlotSet _expired = new();
    private Entry[] _entries = new Entry[64];
    private int[] _freeEntries = new int[64];
    private int _freeCount;
    private int _entriesUsed;
    private bool _gcEarlyDropRequested;

    /// <param name="maxEntries">nf_conntrack_max.</param>
    /// <param name="buckets">nf_conntrack_buckets (hashsize).</param>
    /// <param name="timeouts">Per-state timeouts.</param>
    /// <param name="kernel">The node's kernel: selects the GC's schedule.</param>
    /// <param name="random">The stream bucket walks, early drop and the GC's phase draw from.</param>
    public ConntrackTable(long maxEntries, long buckets, ConntrackTimeouts timeouts, KernelVersion kernel, System.Random random)
    {
        if (maxEntries < 1) throw new ArgumentOutOfRangeException(nameof(maxEntries), "A conntrack table holds at least one entry.");
        if (buckets < 1) throw new ArgumentOutOfRangeException(nameof(buckets), "A conntrack table has at least one bucket.");
        MaxEntries = maxEntries;
        Buckets = buckets;
        _timeouts = timeouts;
        _random = random;
        _gc = new ConntrackGcSchedule(kernel, timeouts, random);
        int states = Enum.GetValues<ConntrackState>().Length;
        _deadlines = new Queue<Deadline>[states];
        for (int i = 0; i < states; i++) _deadlines[i] = new Queue<Deadline>();
        _lastDeadline = new long[states];
    }

    /// <summary>Told of every entry that stops being found (expiry, early drop, GC kill, re-open); null when nothing depends on entry lifetimes.</summary>
    public IConntrackRemovalListener? RemovalListener { get; set; }

    /// <summary>nf_conntrack_max: the most entries the table holds, expired ones not yet reaped included.</summary>
    public long MaxEntries { get; }
    /// <summary>nf_conntrack_buckets.</summary>
    public long Buckets { get; }

    /// <summary>Entries in the table (nf_conntrack_count): live ones and expired ones not yet reaped.</summary>
    public long Count { get; private set; }
    /// <summary>Entries whose timeout has passed and that no GC pass or lookup has reaped yet.</summary>
    public int ExpiredUnreaped => _expired.Count;
    /// <summary>Entries created in the window.</summary>
    public long Inserted { get; private set; }
    /// <summary>New flows refused because the table was full, in the window.</summary>
    public long DroppedFull { get; private set; }
    /// <summary>Non-assured entries deleted by the packet path's <c>early_drop</c>, in the window.</summary>
    public long EarlyDropped { get; private set; }
    /// <summary>Entries the GC worker killed to bring a full table below 95 %, in the window.</summary>
    public long GcEvicted { get; private set; }
    /// <summary>TIME_WAIT or CLOSE entries a new SYN for their tuple deleted to start afresh, in the window.</summary>
    public long Reopened { get; private set; }
    /// <summary>Highest occupancy in the window.</summary>
    public long Peak => (long)_occupancy.Peak;

    /// <summary>Time-average occupancy over the window up to <paramref name="now"/>.</summary>
    public double MeanOccupancy(SimTime now)
    {
        AdvanceTo(now);
        return _occupancy.Mean(now);
    }

    /// <summary>Starts the measurement window (after warm-up): counters and statistics restart.</summary>
    public void StartWindow(SimTime now)
    {
        AdvanceTo(now);
        _occupancy.StartWindow(now);
        Inserted = 0;
        DroppedFull = 0;
        EarlyDropped = 0;
        GcEvicted = 0;
        Reopened = 0;
    }

    /// <summary>
    /// The first packet of a new flow seen as <paramref name="original"/>, whose replies will
    /// carry <paramref name="reply"/> (the reversed tuple after any NAT): its lookup, then the
    /// new entry. A TCP SYN (<see cref="ConntrackState.TcpSynSent"/>) whose tuple is held by an
    /// entry in TIME_WAIT or CLOSE deletes that entry and starts afresh, as <c>tcp_packet</c> does.
    /// </summary>
    /// <param name="id">The new entry's id, or <see cref="ConntrackEntryId.None"/> if none was made.</param>
    public ConntrackInsertResult TryInsert(SimTime now, in FlowTuple original, in FlowTuple reply, ConntrackState state, out ConntrackEntryId id)
    {
        AdvanceTo(now);
        id = ConntrackEntryId.None;
        if (_byTuple.TryGetValue(original, out int held))
        {
            if (_entries[held].Phase == Phase.Expired) Reap(now, held);
            else if (state == ConntrackState.TcpSynSent && IsTcpClosing(_entries[held].State))
            {
                Kill(now, held);
                Reopened++;
            }
            else return ConntrackInsertResult.Clash;
        }
        WalkBucket(now, BucketMeets(0));
        if (_byTuple.TryGetValue(reply, out held))
        {
            if (_entries[held].Phase != Phase.Expired) return ConntrackInsertResult.Clash;
            Reap(now, held);
        }
        if (Count >= MaxEntries && !TryEarlyDrop(now))
        {
            DroppedFull++;
            _gcEarlyDropRequested = true;
            return ConntrackInsertResult.TableFull;
        }
        int entry = AllocateEntry();
        ref Entry e = ref _entries[entry];
        e.Original = original;
        e.Reply = reply;
        e.Phase = Phase.Live;
        e.Assured = false;
        e.SetPosition = -1;
        e.State = state;
        _byTuple.Add(original, entry);
        _byTuple.Add(reply, entry);
        Count++;
        Inserted++;
        _occupancy.Update(now, Count);
        Enter(now, entry, state, counted: false);
        id = new ConntrackEntryId(entry, e.Generation);
        return ConntrackInsertResult.Inserted;
    }

    /// <summary>
    /// Warm start: puts in, at <paramref name="now"/> and before any flow of the run, the entry of a flow
    /// that began earlier, in <paramref name="state"/> with its timeout ending at <paramref name="deadline"/>.
    /// A deadline at or before <paramref name="now"/> makes an expired entry that no GC pass or lookup
    /// has reaped yet. Live entries of one state must come in the order of their deadlines, each at most
    /// the state's timeout ahead, as the table's per-state FIFOs assume.
    /// </summary>
    /// <param name="assured">Whether the flow saw replies (IPS_ASSURED): early drop spares it.</param>
    /// <returns>False, and nothing changed, when the table is full or either tuple is held already.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The deadline is further ahead than the state's timeout, or before the last one of its state.</exception>
    public bool TryPrefill(SimTime now, in FlowTuple original, in FlowTuple reply, ConntrackState state, bool assured, SimTime deadline)
    {
        AdvanceTo(now);
        bool live = deadline > now;
        if (live && (deadline.Nanoseconds > now.Nanoseconds + _timeouts.For(state).Nanoseconds
            || _deadlines[(int)state].Count > 0 && _lastDeadline[(int)state] > deadline.Nanoseconds))
            throw new ArgumentOutOfRangeException(nameof(deadline), deadline, $"Prefilled {state} entries come in deadline order, within the state's timeout.");
        if (Count >= MaxEntries || _byTuple.ContainsKey(original) || _byTuple.ContainsKey(reply)) return false;
        int entry = AllocateEntry();
        ref Entry e = ref _entries[entry];
        e.Original = original;
        e.Reply = reply;
        e.State = state;
        e.Assured = assured;
        e.SetPosition = -1;
        _byTuple.Add(original, entry);
        _byTuple.Add(reply, entry);
        Count++;
        _occupancy.Update(now, Count);
        if (live)
        {
            e.Phase = Phase.Live;
            Arm(entry, deadline.Nanoseconds);
        }
        else
        {
            e.Phase = Phase.Expired;
            e.Deadline = deadline.Nanoseconds;
            JoinSet(entry);
        }
        return true;
    }

    /// <summary>
    /// The time from a GC pass finishing at <paramref name="now"/> to the next if <paramref name="live"/> were the
    /// table's live entries (fixed before 5.19; from 5.19 their mean remaining timeout, clamped to [1 s, 60 s]).
    /// </summary>
    public SimTime GcInterval(SimTime now, ConntrackPopulation live) => _gc.Interval(now, live);

    /// <summary>Warm start: the GC worker's next pass falls at <paramref name="nextPass"/> (its phase, once the table holds its entries).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nextPass"/> is in the table's past.</exception>
    public void PhaseGc(SimTime now, SimTime nextPass)
    {
        if (nextPass < now) throw new ArgumentOutOfRangeException(nameof(nextPass), nextPass, "The next GC pass cannot be in the past.");
        AdvanceTo(now);
        _gc.Rephase(nextPass.Nanoseconds);
    }

    /// <summary>A packet with <paramref name="tuple"/> looks up its entry (reaping the expired entries of the chain it walks).</summary>
    /// <param name="isReply">True if the packet travels in the reply direction.</param>
    public bool TryLookup(SimTime now, in FlowTuple tuple, out ConntrackEntryId id, out bool isReply)
    {
        AdvanceTo(now);
        id = ConntrackEntryId.None;
        isReply = false;
        bool found = _byTuple.TryGetValue(tuple, out int entry);
        if (found && _entries[entry].Phase == Phase.Expired)
        {
            Reap(now, entry);
            found = false;
        }
        WalkBucket(now, BucketMeets(0));
        if (!found) return false;
        id = new ConntrackEntryId(entry, _entries[entry].Generation);
        isReply = _entries[entry].Reply.Equals(tuple);
        return true;
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

    /// <summary>
    /// Whether <paramref name="id"/> names an entry that lookups still find at <paramref name="now"/>:
    /// not expired, dropped or re-opened since, and not the slot's next tenant.
    /// </summary>
    public bool IsLive(SimTime now, ConntrackEntryId id)
    {
        AdvanceTo(now);
        return IsLive(id);
    }

    /// <summary>
    /// A packet of the flow moves its entry to <paramref name="state"/> and re-arms its timeout;
    /// a stale id (the entry expired or was dropped, the slot may hold another flow) changes nothing.
    /// </summary>
    /// <returns>Whether the entry was live.</returns>
    public bool SetState(SimTime now, ConntrackEntryId id, ConntrackState state)
    {
        AdvanceTo(now);
        WalkBucket(now, BucketMeets(0));
        if (!IsLive(id)) return false;
        Enter(now, id.Slot, state, counted: true);
        return true;
    }

    /// <summary>
    /// Brings the table to <paramref name="now"/>: entries pass their deadlines and GC passes run,
    /// each at its own time, in time order.
    /// </summary>
    public void AdvanceTo(SimTime now)
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
            // An entry is expired at its deadline (nf_ct_is_expired: timeout − now ≤ 0), so a pass at that instant reaps it.
            if (_gc.NextPass <= now.Nanoseconds && _gc.NextPass < earliestAt)
            {
                RunGcPass(new SimTime(_gc.NextPass));
                continue;
            }
            if (earliest is null || earliestAt > now.Nanoseconds) return;
            Deadline due = earliest.Dequeue();
            if (_entries[due.Entry].Phase == Phase.Live && _entries[due.Entry].Version == due.Version)
                Expire(due.Entry);
        }
    }

    private bool IsLive(ConntrackEntryId id) =>
        (uint)id.Slot < (uint)_entriesUsed && _entries[id.Slot].Phase == Phase.Live && _entries[id.Slot].Generation == id.Generation;

    private int LiveSlot(ConntrackEntryId id) =>
        IsLive(id) ? id.Slot : throw new InvalidOperationException($"Conntrack entry {id} is no longer live.");

    private static bool IsTcpClosing(ConntrackState state) => state is ConntrackState.TcpTimeWait or ConntrackState.TcpClose;

    private void Enter(SimTime now, int entry, ConntrackState state, bool counted)
    {
        ref Entry e = ref _entries[entry];
        if (counted) _gc.Remove(e.State, e.Deadline);
        LeaveSet(entry);
        e.State = state;
        if (state is ConntrackState.TcpEstablished or ConntrackState.UdpReplied) e.Assured = true;
        Arm(entry, now.Nanoseconds + _timeouts.For(state).Nanoseconds);
    }

    /// <summary>A live entry, in the set its state puts it in, waits for <paramref name="deadlineNs"/> in its state's FIFO.</summary>
    private void Arm(int entry, long deadlineNs)
    {
        ref Entry e = ref _entries[entry];
        e.Version++;
        e.Deadline = deadlineNs;
        _gc.Add(e.State, e.Deadline);
        JoinSet(entry);
        Queue<Deadline> deadlines = _deadlines[(int)e.State];
        deadlines.Enqueue(new Deadline(entry, e.Version, e.Deadline));
        _lastDeadline[(int)e.State] = e.Deadline;
        if (deadlines.Count > 2 * _gc.LiveIn(e.State) + CompactionSlack) DropStaleDeadlines(deadlines);
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
            if (_entries[d.Entry].Phase == Phase.Live && _entries[d.Entry].Version == d.Version) deadlines.Enqueue(d);
        }
    }

    /// <summary>The probability that the k-th bucket walked from a random one meets an entry the walk has not met yet.</summary>
    private double BucketMeets(int k)
    {
        if (k >= Buckets) return 0;
        double stay = (Buckets - k - 1) / (double)(Buckets - k);
        return 1 - stay * stay;
    }

    /// <summary>A walk of one chain reaps the expired entries on it.</summary>
    private void WalkBucket(SimTime now, double meets)
    {
        for (int k = BinomialDraw.Sample(_random, _expired.Count, meets); k > 0; k--)
            Reap(now, _expired[_random.Next(_expired.Count)]);
    }

    /// <summary><c>early_drop</c>: the 8 buckets from the new tuple's (whose chain its lookup walked already).</summary>
    private bool TryEarlyDrop(SimTime now)
    {
        for (int k = 0; k < EvictionRangeBuckets; k++)
        {
            double meets = BucketMeets(k);
            if (k > 0) WalkBucket(now, meets);
            int drops = BinomialDraw.Sample(_random, _unassured.Count, meets);
            if (drops == 0) continue;
            for (int i = 0; i < drops; i++) Kill(now, _unassured[_random.Next(_unassured.Count)]);
            EarlyDropped += drops;
            return true;
        }
        return false;
    }

    /// <summary>One GC pass at <paramref name="at"/>: early drop if requested, every expired entry reaped, the next pass scheduled.</summary>
    private void RunGcPass(SimTime at)
    {
        if (_gcEarlyDropRequested)
        {
            long max95 = MaxEntries / 100 * 95;
            int budget = _gc.EarlyDropRemovals;
            for (int removed = 0; removed < budget && Count >= max95; removed++)
            {
                // The next expired or droppable entry the scan meets, in bucket order: a uniform one of those left.
                int candidates = _expired.Count + _unassured.Count + _closing.Count;
                if (candidates == 0) break;
                int met = _random.Next(candidates);
                if (met < _expired.Count) Reap(at, _expired[met]);
                else
                {
                    met -= _expired.Count;
                    Kill(at, met < _unassured.Count ? _unassured[met] : _closing[met - _unassured.Count]);
                    GcEvicted++;
                }
            }
            _gcEarlyDropRequested = false;
        }
        while (_expired.Count > 0) Reap(at, _expired[_expired.Count - 1]);
        _gc.PassDone(at);
    }

    /// <summary>The entry's deadline passed: lookups no longer find it, its id is stale; it stays in the table until reaped.</summary>
    private void Expire(int entry)
    {
        LeaveLive(entry);
        _entries[entry].Phase = Phase.Expired;
        JoinSet(entry);
    }

    /// <summary>An expired entry met by the GC or a lookup leaves the table.</summary>
    private void Reap(SimTime at, int entry)
    {
        Debug.Assert(_entries[entry].Phase == Phase.Expired);
        LeaveSet(entry);
        Free(at, entry);
    }

    /// <summary>A live entry deleted before its deadline (early drop, GC kill, re-open).</summary>
    private void Kill(SimTime at, int entry)
    {
        LeaveLive(entry);
        Free(at, entry);
    }

    private void LeaveLive(int entry)
    {
        ref Entry e = ref _entries[entry];
        Debug.Assert(e.Phase == Phase.Live);
        LeaveSet(entry);
        _gc.Remove(e.State, e.Deadline);
        var removed = new ConntrackEntryId(entry, e.Generation);
        e.Generation++;
        e.Version++;
        RemovalListener?.EntryRemoved(removed, e.Original, e.Reply);
    }

    private void Free(SimTime at, int entry)
    {
        ref Entry e = ref _entries[entry];
        _byTuple.Remove(e.Original);
        _byTuple.Remove(e.Reply);
        e.Phase = Phase.Free;
        _freeEntries[_freeCount++] = entry;
        Count--;
        _occupancy.Update(at, Count);
    }

    /// <summary>The set an entry belongs to: non-assured or closing while live, expired until reaped.</summary>
    private SlotSet? SetOf(in Entry e) => e.Phase switch
    {
        Phase.Expired => _expired,
        Phase.Live when !e.Assured => _unassured,
        Phase.Live when IsTcpClosing(e.State) => _closing,
        _ => null,
    };

    private void JoinSet(int entry)
    {
        ref Entry e = ref _entries[entry];
        SlotSet? set = SetOf(e);
        e.SetPosition = set is null ? -1 : set.Add(entry);
    }

    private void LeaveSet(int entry)
    {
        ref Entry e = ref _entries[entry];
        if (e.SetPosition < 0) return;
        int moved = SetOf(e)!.RemoveAt(e.SetPosition);
        if (moved >= 0) _entries[moved].SetPosition = e.SetPosition;
        e.SetPosition = -1;
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
}
