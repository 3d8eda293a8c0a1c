namespace ClusterNetPerf.Sim.Cluster.Ebpf;

/// <summary>Told of every entry a <see cref="BpfFlowMap"/> removes on its own: collected by the agent's GC, or evicted by LRU.</summary>
public interface IBpfEntryRemovalListener
{
    /// <param name="map">The map the entry was in.</param>
    /// <param name="id">The entry's id (stale from now on).</param>
    /// <param name="evicted">True when LRU evicted it to make room, false when the GC collected it after its lifetime.</param>
    void EntryRemoved(BpfFlowMap map, BpfEntryId id, bool evicted);
}
