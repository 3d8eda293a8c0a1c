using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Ebpf;

/// <summary>
/// One of Cilium's per-node flow maps (a CT map or the NAT map) as the kernel keeps a BPF hash
/// map: at most <see cref="MaxEntries"/> entries keyed by a tuple, each with a lifetime the
/// datapath sets on every packet it sees. An entry whose lifetime has passed stays in the map,
/// still occupying it, until the agent's GC pass deletes it (the datapath does not delete
/// expired entries; bpf/lib/conntrack.h only rewrites <c>lifetime</c>). When the map is full,
/// an LRU map evicts its least recently used entry to make room and a plain hash map refuses
/// the insertion.
/// </summary>
/// <remarks>
/// <para>LRU here is exact: the entry evicted is the one whose last insertion or use is
/// oldest. The kernel's BPF LRU is approximate (per-CPU free lists and an active/inactive
/// list, kernel/bpf/bpf_lru_list.c) and may evict before the map is quite full
/// (cilium/cilium#38855); the model evicts only at <see cref="MaxEntries"/>.</para>
/// <para>Insert, lookup, use and delete are O(1) (a dictionary and an intrusive doubly linked
/// recency list over the slots); a GC pass walks every slot in use, as the agent's walk of
/// the map does. Memory grows with the entries held, not with <see cref="MaxEntries"/>, and
/// nothing is allocated once the arrays have grown.</para>
/// </remarks>
public sealed class BpfFlowMap
{
    private const int NoSlot = -1;

    private struct Entry
    {
        public FlowTuple Key;
        public long Deadline;
        public int Generation;
        public int Newer;
        public int Older;
        public bool Used;
    }

    private readonly Dictionary<FlowTuple, int> _byKey = new();
    private Entry[] _entries = new Entry[64];
    private int[] _free = new int[64];
    private int _freeCount;
    private int _slotsUsed;
    private int _newest = NoSlot;
    private int _oldest = NoSlot;

    /// <param name="name">The map's name, for reports (e.g. "cilium_ct4_global").</param>
    /// <param name="maxEntries">max_entries: the most entries the map holds, expired ones included.</param>
    /// <param name="type">LRU (evicts when full) or plain hash (refuses when full).</param>
    public BpfFlowMap(string name, long maxEntries, BpfMapType type)
    {
        if (maxEntries < 1) throw new ArgumentOutOfRangeException(nameof(maxEntries), "A BPF map holds at least one entry.");
        Name = name;
        MaxEntries = maxEntries;
        Type = type;
    }

    public string Name { get; }
    public long MaxEntries { get; }
    public BpfMapType Type { get; }

    /// <summary>Told of every entry removed by the GC or by eviction; null when nothing depends on it.</summary>
    public IBpfEntryRemovalListener? RemovalListener { get; set; }

    /// <summary>Entries in the map, expired ones not yet collected included.</summary>
    public int Count => _byKey.Count;
    /// <summary>Highest <see cref="Count"/> in the window.</summary>
    public int Peak { get; private set; }
    /// <summary>Entries LRU evicted to make room, in the window.</summary>
    public long Evicted { get; private set; }
    /// <summary>Insertions refused because a plain hash map was full, in the window.</summary>
    public long InsertFailures { get; private set; }
    /// <summary>Entries the GC collected after their lifetime, in the window.</summary>
    public long Collected { get; private set; }

    /// <summary>Starts the measurement window: counters restart, the peak restarts from the entries held now.</summary>
    public void StartWindow()
    {
        Peak = Count;
        Evicted = 0;
        InsertFailures = 0;
        Collected = 0;
    }

    /// <summary>
    /// Creates the entry for <paramref name="key"/> (or, if it is there already, renews it) with
    /// a lifetime of <paramref name="lifetime"/> from <paramref name="now"/>. On a full map an
    /// LRU map first evicts its least recently used entry; a hash map refuses.
    /// </summary>
    /// <returns>False when a full hash map refused the entry (<paramref name="id"/> is then <see cref="BpfEntryId.None"/>).</returns>
    public bool TryInsert(SimTime now, in FlowTuple key, SimTime lifetime, out BpfEntryId id)
    {
        if (_byKey.TryGetValue(key, out int held))
        {
            Renew(held, now, lifetime);
            id = new BpfEntryId(held, _entries[held].Generation);
            return true;
        }
        if (Count >= MaxEntries)
        {
            if (Type == BpfMapType.Hash)
            {
                InsertFailures++;
                id = BpfEntryId.None;
                return false;
            }
            int victim = _oldest;
            Evicted++;
            Remove(victim, evicted: true);
        }
        int slot = TakeSlot();
        ref Entry entry = ref _entries[slot];
        entry.Key = key;
        entry.Used = true;
        entry.Deadline = Deadline(now, lifetime);
        LinkNewest(slot);
        _byKey.Add(key, slot);
        if (Count > Peak) Peak = Count;
        id = new BpfEntryId(slot, entry.Generation);
        return true;
    }

    /// <summary>Whether an entry for <paramref name="key"/> is in the map (expired or not: the datapath sees it until it is deleted).</summary>
    public bool Contains(in FlowTuple key) => _byKey.ContainsKey(key);

    /// <summary>Whether <paramref name="id"/> still names an entry.</summary>
    public bool IsLive(BpfEntryId id) =>
        id.Slot >= 0 && id.Slot < _slotsUsed && _entries[id.Slot].Used && _entries[id.Slot].Generation == id.Generation;

    /// <summary>When the entry's lifetime ends (after which the next GC pass deletes it); <see cref="SimTime.MaxValue"/> for an entry without one or a stale id.</summary>
    public SimTime ExpiresAt(BpfEntryId id) => IsLive(id) ? new SimTime(_entries[id.Slot].Deadline) : SimTime.MaxValue;

    /// <summary>A packet of the entry's flow: its lifetime becomes <paramref name="lifetime"/> from now and it becomes the most recently used. A stale id is ignored.</summary>
    public void Use(SimTime now, BpfEntryId id, SimTime lifetime)
    {
        if (IsLive(id)) Renew(id.Slot, now, lifetime);
    }

    /// <summary>Deletes the entry (the datapath's or the agent's explicit delete). A stale id is ignored.</summary>
    public void Delete(BpfEntryId id)
    {
        if (IsLive(id)) Remove(id.Slot, evicted: null);
    }

    /// <summary>The agent's GC pass: deletes every entry whose lifetime has passed at <paramref name="now"/>. O(slots in use).</summary>
    /// <returns>Entries deleted.</returns>
    public int CollectExpired(SimTime now)
    {
        int deleted = 0;
        for (int slot = 0; slot < _slotsUsed; slot++)
        {
            if (!_entries[slot].Used || _entries[slot].Deadline > now.Nanoseconds) continue;
            Remove(slot, evicted: false);
            deleted++;
        }
        Collected += deleted;
        return deleted;
    }

    private static long Deadline(SimTime now, SimTime lifetime) =>
        lifetime == SimTime.MaxValue ? long.MaxValue : now.Nanoseconds + lifetime.Nanoseconds;

    private void Renew(int slot, SimTime now, SimTime lifetime)
    {
        _entries[slot].Deadline = Deadline(now, lifetime);
        Unlink(slot);
        LinkNewest(slot);
    }

    /// <param name="evicted">True: LRU eviction; false: GC collection; null: an explicit delete (no listener call).</param>
    private void Remove(int slot, bool? evicted)
    {
        ref Entry entry = ref _entries[slot];
        var id = new BpfEntryId(slot, entry.Generation);
        _byKey.Remove(entry.Key);
        Unlink(slot);
        entry.Used = false;
        entry.Generation++;
        if (_freeCount == _free.Length) Array.Resize(ref _free, _free.Length * 2);
        _free[_freeCount++] = slot;
        if (evicted is bool byLru) RemovalListener?.EntryRemoved(this, id, byLru);
    }

    private int TakeSlot()
    {
        if (_freeCount > 0) return _free[--_freeCount];
        if (_slotsUsed == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        return _slotsUsed++;
    }

    private void LinkNewest(int slot)
    {
        ref Entry entry = ref _entries[slot];
        entry.Newer = NoSlot;
        entry.Older = _newest;
        if (_newest != NoSlot) _entries[_newest].Newer = slot;
        _newest = slot;
        if (_oldest == NoSlot) _oldest = slot;
    }

    private void Unlink(int slot)
    {
        ref Entry entry = ref _entries[slot];
        if (entry.Newer != NoSlot) _entries[entry.Newer].Older = entry.Older;
        else _newest = entry.Older;
        if (entry.Older != NoSlot) _entries[entry.Older].Newer = entry.Newer;
        else _oldest = entry.Newer;
        entry.Newer = entry.Older = NoSlot;
    }
}
