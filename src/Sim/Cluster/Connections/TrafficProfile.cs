using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Kernel.Sampling;

namespace ClusterNetPerf.Sim.Cluster.Connections;

/// <summary>What a connection carries once it is open: requests, their sizes in bytes, and the server's think time.</summary>
public sealed record TrafficProfile(int RequestsPerConnection, Sampler RequestBytes, Sampler ResponseBytes, SimTime ServerTime)
{
    /// <summary>One 1 KiB request and a 16 KiB response, no server time.</summary>
    public static TrafficProfile Default { get; } = new(1, new DeterministicSampler(1024), new DeterministicSampler(16 * 1024), SimTime.Zero);
}
