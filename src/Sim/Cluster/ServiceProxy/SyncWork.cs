namespace ClusterNetPerf.Sim.Cluster.ServiceProxy;

/// <summary>What one kube-proxy sync on one node has to do.</summary>
/// <param name="Node">The node syncing.</param>
/// <param name="Full">A full sync (every chain rewritten) rather than a partial one.</param>
/// <param name="ChangedServices">Distinct Services changed since the node's last sync (not versions: two changes to one Service count once).</param>
/// <param name="SavesTable">Whether this sync lists the table to delete stale chains (iptables-save; in large cluster mode only once per syncPeriod).</param>
public readonly record struct SyncWork(int Node, bool Full, int ChangedServices, bool SavesTable);
