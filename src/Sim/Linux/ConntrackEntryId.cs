namespace ClusterNetPerf.Sim.Linux;

/// <summary>
/// Names one conntrack entry: its slot in the table and the slot's generation. Slots are
/// reused once an entry is removed (expiry, early drop, GC eviction); the generation moves on
/// then, so an id that outlives its entry is recognised as stale and never touches the flow
/// that took the slot next (as <see cref="Kernel.EventHandle"/> and <see cref="Kernel.RecordPool{T}"/> do).
/// </summary>
public readonly record struct ConntrackEntryId(int Slot, int Generation)
{
    /// <summary>An id that names no entry; the table treats it as stale.</summary>
    public static readonly ConntrackEntryId None = new(-1, 0);

    /// <summary>Whether this is <see cref="None"/>.</summary>
    public bool IsNone => Slot < 0;
}
