using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Edge;

/// <summary>The Internet beyond the cluster's border: hosts reached by egress, clients that come in by ingress.</summary>
public sealed record InternetOptions
{
    /// <summary>Round-trip time between the border and an Internet host (split evenly over the two directions).</summary>
    public SimTime Rtt { get; init; } = SimTime.FromMilliseconds(20);
    /// <summary>Bandwidth of the border in each direction (the gateway and load balancer capacity).</summary>
    public DataRate Bandwidth { get; init; } = DataRate.FromGigabitsPerSecond(10);
    /// <summary>Distinct Internet destinations (IP:443) egress calls spread over.</summary>
    public int Destinations { get; init; } = 1;

    /// <summary>Internet host i: 203.0.113.1, … (TEST-NET-3, RFC 5737).</summary>
    public static IPv4Address HostAddress(int index) => IPv4Address.Parse("203.0.113.1") + (uint)index;

    /// <summary>Internet client i: from 198.18.0.0/15 (the benchmarking range, RFC 2544).</summary>
    public static IPv4Address ClientAddress(long index) => IPv4Address.Parse("198.18.0.1") + (uint)(index % 131_000);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Rtt.Nanoseconds < 0) problems.Add($"internet rtt must not be negative, found {Rtt}");
        if (Destinations < 1) problems.Add($"internet destinations must be at least 1, found {Destinations}");
        return problems;
    }
}
