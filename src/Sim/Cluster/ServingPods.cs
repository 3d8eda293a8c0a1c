using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// The pods of a cluster component that serves on its own cores (CoreDNS, the ingress
/// controllers): which pods they are, and each one's CPU, found by pod number in O(1).
/// A pod keeps its number across restarts, so its cores stay its own.
/// </summary>
public sealed class ServingPods
{
    private readonly int[] _pods;
    private readonly Cpu[] _cpus;
    private readonly Dictionary<int, int> _replicaOfPod = [];

    /// <param name="name">The component's name, for the cores' names.</param>
    /// <param name="pods">The pods it runs in, one replica each.</param>
    /// <param name="coresPerReplica">Cores each replica may use.</param>
    public ServingPods(string name, IReadOnlyList<int> pods, int coresPerReplica)
    {
        _pods = [.. pods];
        _cpus = new Cpu[_pods.Length];
        for (int r = 0; r < _pods.Length; r++)
        {
            _cpus[r] = new Cpu($"{name}-{r}", coresPerReplica);
            _replicaOfPod[_pods[r]] = r;
        }
    }

    /// <summary>The replicas' pods.</summary>
    public IReadOnlyList<int> Pods => _pods;

    /// <summary>The replicas' cores, for utilisation reports.</summary>
    public IReadOnlyList<Cpu> Cpus => _cpus;

    /// <summary>Whether <paramref name="pod"/> is one of the replicas.</summary>
    public bool Contains(int pod) => _replicaOfPod.ContainsKey(pod);

    /// <summary>The cores of the replica in <paramref name="pod"/>.</summary>
    public Cpu CpuOf(int pod) => _cpus[_replicaOfPod[pod]];
}
