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

    /// <summary>
    /// Most destinations: host addresses count up from 203.0.113.1, and 2^24 of them stay well inside
    /// the IPv4 space; more would be more distinct hosts than any study needs.
    /// </summary>
    public const int MaxDestinations = 1 << 24;

    /// <summary>The problems with these options (empty when valid), named by property.</summary>
    public IReadOnlyList<OptionProblem> Validate()
    {
        var problems = new List<OptionProblem>();
        if (Rtt < SimTime.Zero) problems.Add(new(nameof(Rtt), "a duration of zero or more", Rtt.ToString()));
        if (Destinations is < 1 or > MaxDestinations)
            problems.Add(new(nameof(Destinations), $"between 1 and {ClusterOptions.Text(MaxDestinations)}", ClusterOptions.Text(Destinations)));
        return problems;
    }
}
