namespace ClusterNetPerf.Sim.Cluster.Ebpf;

/// <summary>
/// Names one entry of a <see cref="BpfFlowMap"/>: its slot and the slot's generation, so an id
/// that outlives its entry (expired and collected, or evicted) never touches the flow that took
/// the slot next.
/// </summary>
public readonly record struct BpfEntryId(int Slot, int Generation)
{
    /// <summary>An id that names no entry; the map treats it as stale.</summary>
    public static readonly BpfEntryId None = new(-1, 0);

    /// <summary>Whether this is <see cref="None"/>.</summary>
    public bool IsNone => Slot < 0;
}
