using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>
/// Every metric an SLO or a resource probe may name: the columns of points.csv (whatever
/// <see cref="RunMetrics"/> holds in this build, so metrics added later are nameable at once) and
/// derived ones computed from them.
/// </summary>
public static class MetricCatalog
{
    /// <summary>Metrics computed from the columns: name → (description, value).</summary>
    private static readonly Dictionary<string, (string Description, Func<RunMetrics, double> Value)> Derived = new()
    {
        ["connections_failed_fraction"] = ("connections_failed / connections_offered (0 when none were offered)",
            m => m.ConnectionsOffered == 0 ? 0 : (double)m.ConnectionsFailed / m.ConnectionsOffered),
        ["nat_refused_fraction"] = ("SYNs the NAT gateway refused for want of a port, per SYN it saw (retransmissions included): its blocking probability",
            m => m.DropsNatPortExhausted + m.NatAllocations == 0 ? 0 : (double)m.DropsNatPortExhausted / (m.DropsNatPortExhausted + m.NatAllocations)),
        ["dns_lookups_timed_out_fraction"] = ("DNS lookups that waited for the resolver's timeout, per connection offered",
            m => m.ConnectionsOffered == 0 ? 0 : (double)m.DnsLookupsTimedOut / m.ConnectionsOffered),
    };

    /// <summary>Every name, columns first, then the derived metrics.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. MetricColumns.Names, .. Derived.Keys];

    /// <summary>Whether <paramref name="name"/> is a metric of this build.</summary>
    public static bool Contains(string name) => Names.Contains(name);

    /// <summary>The value of metric <paramref name="name"/> in one run.</summary>
    /// <exception cref="ArgumentException">No metric has that name.</exception>
    public static double Value(RunMetrics metrics, string name)
    {
        if (Derived.TryGetValue(name, out var derived)) return derived.Value(metrics);
        int column = IndexOf(name);
        if (column < 0) throw new ArgumentException(UnknownMessage(name));
        return MetricColumns.Value(metrics, column);
    }

    /// <summary>The message for a name that is no metric, listing the ones there are.</summary>
    public static string UnknownMessage(string name) =>
        $"'{name}' is not a metric; expected one of {string.Join(", ", Names)}";

    private static int IndexOf(string name)
    {
        for (int i = 0; i < MetricColumns.Names.Count; i++)
            if (MetricColumns.Names[i] == name) return i;
        return -1;
    }
}
