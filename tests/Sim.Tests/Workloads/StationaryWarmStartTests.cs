using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Statistics;
using ClusterNetPerf.Sim.Workloads;

namespace ClusterNetPerf.Sim.Tests.Workloads;

/// <summary>
/// Issue 14's acceptance: a stationary warm start followed by a short ordinary warm-up measures what a long
/// ordinary warm-up (at least 3 × the longest lifetime of the state) measures — occupancy, drops per second
/// and the p99 of set-up latency, each within the two runs' 95 % confidence intervals over independent
/// replications — on conntrack, the NAT gateway and eBPF maps, below and above their limits. Each case also
/// shows the comparison can fail: without the warm start the same short warm-up disagrees.
/// </summary>
/// <remarks>
/// Below the limits the warm-up after a warm start is 10 s. Above them it is 130 s: a refused flow retries
/// its SYN for 127 s (1 + 2 + … + 64 s), and that backlog of retries — state of flows still in progress,
/// which the warm start leaves out — drives the drop rate (with 10 s: 210 against 320 drops/s on the
/// conntrack case). Not covered: an eBPF hash map above its size, which the warm start leaves empty (see
/// StationaryWarmStart.HashMapAboveItsSize). The tables are scaled down (two nodes, tens of connections per second) so that each
/// long warm-up costs about a second.
/// </remarks>
public sealed class StationaryWarmStartTests
{
    private const int Replications = 10;
    private static readonly SimTime Window = SimTime.FromSeconds(20);
    private static readonly SimTime ShortWarmup = SimTime.FromSeconds(10);
    /// <summary>Past the SYN retransmissions of a refused flow (127 s).</summary>
    private static readonly SimTime WarmupAboveLimits = SimTime.FromSeconds(130);

    private static readonly ClusterOptions Small = new()
    {
        Nodes = 2, PodsPerNode = 10, Services = 4, EndpointsPerService = 4, Dns = new() { CoreDnsReplicas = 1 },
    };

    private static readonly WorkloadOptions[] Mixed =
    [
        new() { Kind = WorkloadKind.ServiceCalls, ConnectionsPerSecond = 40 },
        new() { Kind = WorkloadKind.Egress, ConnectionsPerSecond = 20 },
        new() { Kind = WorkloadKind.Dns, ConnectionsPerSecond = 10 },
    ];

    private static readonly WorkloadOptions[] Egress = [new() { Kind = WorkloadKind.Egress, ConnectionsPerSecond = 50 }];

    private enum Table
    {
        Conntrack,
        Gateway,
        Ebpf,
    }

    private sealed record Case(Table Table, ClusterOptions Options, WorkloadOptions[] Workloads, SimTime Warmup, SimTime LongWarmup);

    private static Case CaseNamed(string name) => name switch
    {
        // 6.8's GC: TIME_WAIT 120 s + a pass at most 60 s later; about 6,400 entries a node against 131,072.
        "conntrack below its limit" => new(Table.Conntrack, Small, Mixed, ShortWarmup, SimTime.FromSeconds(400)),
        "conntrack above its limit" => new(Table.Conntrack, Small with { ConntrackMax = 3_000 }, Mixed, WarmupAboveLimits, SimTime.FromSeconds(400)),
        // AWS: a port waits 60 s before it serves the same destination again; 50/s × 60 s = 3,000 ports held.
        "gateway below its limit" => new(Table.Gateway, Small, Egress, ShortWarmup, SimTime.FromSeconds(200)),
        // 2,000 ports to one destination: at most 33 connections/s. Without a warm start the drop rate swings
        // (140, 250, 190 drops/s after 200, 400, 600 s of warm-up) until about 900 s, as the retries of the first
        // refusals come back in step; the reference is taken there.
        "gateway above its limit" => new(Table.Gateway, Small with { NatGateway = Small.NatGateway with { Ports = new PortRange(1024, 3023) } },
            Egress, WarmupAboveLimits, SimTime.FromSeconds(900)),
        // Cilium: a closed flow's CT entry lives 10 s and goes at the agent's GC pass, every 300 s here
        // (6,000 of 65,536 deleted a pass keeps the interval); 3 × 310 s.
        "eBPF map below its limit" => new(Table.Ebpf, Small with { ProxyMode = KubeProxyMode.Ebpf, Ebpf = new EbpfOptions { CtGlobalTcpMax = 65_536, MapType = BpfMapType.Hash } },
            [new() { Kind = WorkloadKind.ServiceCalls, ConnectionsPerSecond = 20 }], ShortWarmup, SimTime.FromSeconds(1_000)),
        // An LRU CT map of 4,096 against 40 entries/s a node held up to 310 s: it evicts instead of refusing (and fills in 100 s from empty).
        "eBPF LRU map above its limit" => new(Table.Ebpf, Small with { ProxyMode = KubeProxyMode.Ebpf, Ebpf = new EbpfOptions { CtGlobalTcpMax = 4_096, MapType = BpfMapType.LruHash } },
            [new() { Kind = WorkloadKind.ServiceCalls, ConnectionsPerSecond = 40 }], ShortWarmup, SimTime.FromSeconds(1_000)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such case."),
    };

    public static TheoryData<string> Cases =>
    [
        "conntrack below its limit", "conntrack above its limit", "gateway below its limit", "gateway above its limit",
        "eBPF map below its limit", "eBPF LRU map above its limit",
    ];

    /// <summary>Occupancy, drops per second and set-up p99 over the replications: mean and 95 % half-width of each.</summary>
    private sealed record Summary(ReplicationSummary Occupancy, ReplicationSummary DropsPerSecond, ReplicationSummary SetupP99Us)
    {
        public IEnumerable<(string Metric, ReplicationSummary Value)> Metrics =>
            [("occupancy", Occupancy), ("drops/s", DropsPerSecond), ("setup p99 µs", SetupP99Us)];

        public override string ToString() => string.Join(", ", Metrics.Select(m => $"{m.Metric} {m.Value.Mean:F1} ± {m.Value.HalfWidth():F1}"));
    }

    private static Summary Measure(Case c, WarmStartMode mode, SimTime warmup)
    {
        var summary = new Summary(new ReplicationSummary(), new ReplicationSummary(), new ReplicationSummary());
        for (ulong seed = 1; seed <= Replications; seed++)
        {
            WarmStartRun run = WarmStartRun.Execute(c.Options with { WarmStart = mode }, c.Workloads, warmup, Window, seed);
            RunMetrics m = run.Metrics;
            summary.Occupancy.Add(c.Table switch
            {
                Table.Conntrack => run.ConntrackEntries,
                Table.Gateway => run.GatewayPortsHeld,
                _ => run.EbpfCtEntries,
            });
            long drops = c.Table switch
            {
                Table.Conntrack => m.DropsConntrackFull,
                Table.Gateway => m.DropsNatPortExhausted,
                _ => m.DropsEbpfMapFull + m.EbpfCtEvictions,
            };
            summary.DropsPerSecond.Add(drops / Window.TotalSeconds);
            summary.SetupP99Us.Add(m.SetupLatencyP99Us);
        }
        return summary;
    }

    /// <summary>The metrics on which two summaries differ by more than their 95 % intervals together allow.</summary>
    private static List<string> Disagreements(Summary a, Summary b)
    {
        var disagree = new List<string>();
        foreach (((string metric, ReplicationSummary x), (_, ReplicationSummary y)) in a.Metrics.Zip(b.Metrics))
        {
            // A table held at its size has no spread across replications: a difference under 0.1 % of the figure is no bias.
            double allowed = Math.Max(Math.Sqrt(x.HalfWidth() * x.HalfWidth() + y.HalfWidth() * y.HalfWidth()), 1e-3 * Math.Abs(y.Mean));
            if (!(Math.Abs(x.Mean - y.Mean) <= allowed)) disagree.Add($"{metric}: {x.Mean:F1} ± {x.HalfWidth():F1} against {y.Mean:F1} ± {y.HalfWidth():F1}");
        }
        return disagree;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_warm_start_and_a_short_warm_up_measure_what_a_long_warm_up_measures(string name)
    {
        Case c = CaseNamed(name);
        Summary reference = Measure(c, WarmStartMode.None, c.LongWarmup);
        Summary warm = Measure(c, WarmStartMode.Stationary, c.Warmup);
        Summary cold = Measure(c, WarmStartMode.None, c.Warmup);

        List<string> warmOff = Disagreements(warm, reference);
        Assert.True(warmOff.Count == 0, $"warm start + {c.Warmup}: {string.Join("; ", warmOff)}");
        Assert.True(reference.Occupancy.Mean > 0, "the tables held nothing: the case tests nothing");
        // The same comparison without the warm start fails: the test can tell.
        Assert.NotEmpty(Disagreements(cold, reference));
    }
}
