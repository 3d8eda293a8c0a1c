using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;


namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>kube-proxy's mode and its sync timing (defaults are kube-proxy's own, from <see cref="ClusterOptions.Default"/>).</summary>
public sealed record KubeProxySpec
{
    public KubeProxyMode Mode { get; init; } = ClusterOptions.Default.ProxyMode;
    public IpvsScheduler IpvsScheduler { get; init; } = ClusterOptions.Default.IpvsScheduler;
    /// <summary>Least time between two rule syncs (--iptables-min-sync-period).</summary>
    public SimTime MinSyncPeriod { get; init; } = ClusterOptions.Default.MinSyncPeriod;
    /// <summary>--iptables-sync-period: canary check, retry, stale-chain cleanup in large clusters; IPVS's periodic reconcile.</summary>
    public SimTime SyncPeriod { get; init; } = ClusterOptions.Default.SyncPeriod;
    /// <summary>Delay from an endpoint change at the API server to kube-proxy seeing it.</summary>
    public SimTime WatchDelay { get; init; } = ClusterOptions.Default.WatchDelay;
    /// <summary>The kube-proxy release ("1.34") whose sync behaviour applies; the library's default when absent.</summary>
    public KubeProxyRelease Version { get; init; } = ClusterOptions.Default.KubeProxyRelease;
}
