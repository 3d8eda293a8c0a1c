using System.Text.Json.Serialization;

namespace ClusterNetPerf.Sim.Cluster.ServiceProxy;

/// <summary>IPVS schedulers the model implements (kube-proxy's default is round robin); spelled in scenario files as kube-proxy's --ipvs-scheduler takes them.</summary>
public enum IpvsScheduler
{
    /// <summary>rr: endpoints in turn, per node and service.</summary>
    [JsonStringEnumMemberName("rr")]
    RoundRobin,
    /// <summary>lc: the endpoint with the fewest active connections from this node (ties: lowest index).</summary>
    [JsonStringEnumMemberName("lc")]
    LeastConnection,
}
