using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>A node's conntrack table: size and timeouts (defaults are kube-proxy's and Linux's).</summary>
public sealed record ConntrackSpec
{
    /// <summary>Explicit table size; when null, kube-proxy's rule <see cref="EffectiveMax"/> applies.</summary>
    public int? Max { get; init; }
    public int MaxPerCore { get; init; } = 32768;
    public int Min { get; init; } = 131072;
    public SimTime TcpEstablishedTimeout { get; init; } = SimTime.FromSeconds(86400);
    public SimTime TcpTimeWaitTimeout { get; init; } = SimTime.FromSeconds(120);
    public SimTime UdpTimeout { get; init; } = SimTime.FromSeconds(30);

    /// <summary>The table size on a node with <paramref name="cores"/> cores: <see cref="Max"/> if set, else max(min, maxPerCore × cores) as kube-proxy sets it.</summary>
    public long EffectiveMax(int cores) => Max ?? Math.Max(Min, (long)MaxPerCore * cores);
}
