using System.Globalization;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Workloads;

namespace ClusterNetPerf.Scenarios.Estimates;

/// <summary>
/// What one run of a point will cost, estimated from the scenario alone in O(workloads) time (rates ×
/// times, table sizes, pods × Services), so that even absurd values answer at once. The coefficients are
/// fitted to the shipped studies' measured events (results/*/points.csv, tested within 2× in
/// <c>RunEstimateTests</c>); memory follows the sizes of the model's tables and is an estimate.
/// </summary>
/// <param name="Connections">Connections opened over warm-up and window.</param>
/// <param name="Events">Simulator events.</param>
/// <param name="PeakMemoryBytes">Peak managed memory of the run.</param>
public sealed record RunEstimate(double Connections, double Events, double PeakMemoryBytes)
{
    /// <summary>Events per connection with one request (set-up, request, response, teardown over each hop).</summary>
    private const double EventsPerConnection = 8;
    /// <summary>Events per request of a connection.</summary>
    private const double EventsPerRequest = 12;
    /// <summary>Traffic through the load balancer and ingress controller crosses about 1.5 times the hops.</summary>
    private const double EdgeHopFactor = 1.5;
    /// <summary>
    /// Events per endpoint change per node: each change (a pod stops, then starts, in every Service it backs)
    /// reaches every node's kube-proxy as one event; syncs batch them.
    /// </summary>
    private const double EventsPerChangePerNode = 1;

    /// <summary>The .NET runtime, the program and the model's fixed parts.</summary>
    private const double BaseBytes = 64 * 1024 * 1024;
    private const double BytesPerPod = 1024;
    private const double BytesPerNode = 16 * 1024;
    private const double BytesPerEndpoint = 64;
    private const double BytesPerConntrackEntry = 256;
    private const double BytesPerLiveConnection = 1024;
    /// <summary>Latency histograms and other per-run collectors.</summary>
    private const double CollectorBytes = 8 * 1024 * 1024;

    /// <summary>The estimate of one run of <paramref name="point"/>.</summary>
    public static RunEstimate Of(ScenarioSpec point)
    {
        double seconds = (point.Warmup + point.Duration).TotalSeconds;
        double connections = 0, events = 0, timeWaitConnections = 0, liveConnections = 0;
        foreach (WorkloadSpec workload in point.Workloads)
        {
            double opened = workload.ConnectionsPerSecond * seconds;
            double hops = workload.Type is WorkloadKind.Ingress or WorkloadKind.LoadBalancer ? EdgeHopFactor : 1;
            connections += opened;
            events += opened * hops * (EventsPerConnection + EventsPerRequest * workload.RequestsPerConnection);
            timeWaitConnections += Math.Min(opened, workload.ConnectionsPerSecond * point.Cluster.Conntrack.TcpTimeWaitTimeout.TotalSeconds);
            // Connections alive at once: a second's worth (most finish in milliseconds; overload holds them longer).
            liveConnections += Math.Min(opened, workload.ConnectionsPerSecond);
        }
        double nodes = point.Cluster.Nodes;
        double pods = nodes * point.Cluster.PodsPerNode;
        double servicesPerPod = Math.Max(1, (double)point.Services.Count * point.Services.EndpointsPerService / pods);
        events += point.Churn.PodRestartsPerSecond * seconds * 2 * servicesPerPod * nodes * EventsPerChangePerNode;
        double conntrackCapacity = nodes * ConntrackMaxOf(point);
        // An entry at each end of a connection lives until TIME_WAIT ends; the tables cap it.
        double conntrackEntries = Math.Min(2 * timeWaitConnections, conntrackCapacity);
        double memory = BaseBytes + CollectorBytes + nodes * BytesPerNode + pods * BytesPerPod
            + (double)point.Services.Count * point.Services.EndpointsPerService * BytesPerEndpoint
            + conntrackEntries * BytesPerConntrackEntry + liveConnections * BytesPerLiveConnection;
        return new RunEstimate(connections, events, memory);
    }

    /// <summary>The run as one line: connections, events, memory.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Quantity(Connections)} connections, {Quantity(Events)} events, {Bytes(PeakMemoryBytes)} peak memory");

    /// <summary>A count in a short form: 950, 12.3 thousand, 4.5 million, 2e+15.</summary>
    public static string Quantity(double value) => value switch
    {
        < 1e4 => value.ToString("N0", CultureInfo.InvariantCulture),
        < 1e6 => (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + " thousand",
        < 1e9 => (value / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + " million",
        < 1e12 => (value / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + " billion",
        _ => value.ToString("0.#e+0", CultureInfo.InvariantCulture),
    };

    /// <summary>Bytes in MiB, GiB or TiB.</summary>
    public static string Bytes(double bytes) => bytes switch
    {
        < 1024.0 * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture) + " MiB",
        < 1024.0 * 1024 * 1024 * 1024 => (bytes / (1024.0 * 1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB",
        _ => (bytes / (1024.0 * 1024 * 1024 * 1024)).ToString("0.#e+0", CultureInfo.InvariantCulture) + " TiB",
    };

    /// <summary>A node's conntrack size: the explicit max, or kube-proxy's rule, as the library computes it.</summary>
    private static double ConntrackMaxOf(ScenarioSpec point) =>
        (ClusterOptions.Default with
        {
            CoresPerNode = point.Cluster.Node.Cores,
            ConntrackMax = point.Cluster.Conntrack.Max,
            ConntrackMaxPerCore = point.Cluster.Conntrack.MaxPerCore,
            ConntrackMin = point.Cluster.Conntrack.Min,
        }).EffectiveConntrackMax;
}
