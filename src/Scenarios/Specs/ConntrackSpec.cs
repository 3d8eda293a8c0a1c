using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>A node's conntrack table: size and timeouts (defaults are kube-proxy's and Linux's, from <see cref="ClusterOptions.Default"/>).</summary>
public sealed record ConntrackSpec
{
    /// <summary>Explicit table size; when null, kube-proxy's rule max(min, maxPerCore × cores) applies (<see cref="ClusterOptions.EffectiveConntrackMax"/>).</summary>
    public long? Max { get; init; }
    public long MaxPerCore { get; init; } = ClusterOptions.Default.ConntrackMaxPerCore;
    public long Min { get; init; } = ClusterOptions.Default.ConntrackMin;
    public SimTime TcpEstablishedTimeout { get; init; } = ClusterOptions.Default.ConntrackTimeouts.TcpEstablished;
    public SimTime TcpTimeWaitTimeout { get; init; } = ClusterOptions.Default.ConntrackTimeouts.TcpTimeWait;
    public SimTime UdpTimeout { get; init; } = ClusterOptions.Default.ConntrackTimeouts.Udp;
}
