namespace ClusterNetPerf.Sim.Cluster;

/// <summary>IPVS schedulers the model implements (kube-proxy's default is round robin).</summary>
public enum IpvsScheduler
{
    /// <summary>rr: endpoints in turn, per node and service.</summary>
    RoundRobin,
    /// <summary>lc: the endpoint with the fewest active connections from this node (ties: lowest index).</summary>
    LeastConnection,
}
