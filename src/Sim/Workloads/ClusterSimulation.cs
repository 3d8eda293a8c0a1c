using System.Diagnostics;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Sim.Workloads;

/// <summary>
/// One run as a function: a cluster, its workloads, a warm-up and a measured duration, a
/// seed → the run's metrics. Cheap to call repeatedly from code (sweeps, searches, notebooks).
/// </summary>
public static class ClusterSimulation
{
    /// <summary>Builds the cluster, runs warm-up then the window, and measures.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static RunMetrics Run(ClusterOptions cluster, IReadOnlyList<WorkloadOptions> workloads, SimTime warmup, SimTime duration, ulong seed,
        CancellationToken cancellationToken = default)
    {
        if (workloads.Count == 0) throw new ArgumentException("At least one workload is needed.", nameof(workloads));
        foreach (WorkloadOptions workload in workloads)
        {
            IReadOnlyList<string> problems = workload.Validate();
            if (problems.Count > 0) throw new ArgumentException("Invalid workload: " + string.Join("; ", problems), nameof(workloads));
        }
        var clock = Stopwatch.StartNew();
        var simulator = new Simulator(seed);
        var collector = new MetricsCollector(simulator);
        var model = new ClusterModel(simulator, cluster, collector, workloads.Select(w => w.Traffic).ToArray());
        for (int i = 0; i < workloads.Count; i++)
            _ = new PoissonConnectionSource(model, workloads[i], i, $"workload-{i}");

        RunInSlices(simulator, warmup, cancellationToken);
        model.StartWindow();
        collector.StartWindow();
        RunInSlices(simulator, warmup + duration, cancellationToken);
        return Measure(model, collector, duration, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Runs to <paramref name="end"/> in slices of simulated time, so cancellation is noticed promptly.</summary>
    private static void RunInSlices(Simulator simulator, SimTime end, CancellationToken cancellationToken)
    {
        SimTime slice = SimTime.FromMilliseconds(50);
        while (simulator.Now < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            simulator.RunUntil(SimTime.Min(end, simulator.Now + slice));
        }
    }

    /// <summary>Reads the run's figures off the collector and the model at the window's end.</summary>
    public static RunMetrics Measure(ClusterModel model, MetricsCollector collector, SimTime duration, double wallSeconds)
    {
        SimTime now = model.Simulator.Now;
        long conntrackPeak = 0;
        double conntrackMean = 0;
        double cpuMax = 0;
        foreach (Node node in model.Nodes)
        {
            conntrackPeak = Math.Max(conntrackPeak, node.Conntrack.Peak);
            conntrackMean = Math.Max(conntrackMean, node.Conntrack.MeanOccupancy(now));
            cpuMax = Math.Max(cpuMax, node.Cpu.Utilization(now));
        }
        return new RunMetrics
        {
            ConnectionsOffered = collector.ConnectionsOffered,
            ConnectionsCompleted = collector.ConnectionsCompleted,
            ConnectionsFailed = collector.ConnectionsFailed,
            SetupLatencyP50Us = Microseconds(collector.SetupLatency, 0.5),
            SetupLatencyP99Us = Microseconds(collector.SetupLatency, 0.99),
            SetupLatencyP999Us = Microseconds(collector.SetupLatency, 0.999),
            RequestLatencyP50Us = Microseconds(collector.RequestLatency, 0.5),
            RequestLatencyP99Us = Microseconds(collector.RequestLatency, 0.99),
            ThroughputGbps = collector.ApplicationBytes * 8 / duration.TotalSeconds / 1e9,
            DropsLinkBuffer = collector.Drops(DropCause.LinkBuffer),
            DropsConntrackFull = collector.Drops(DropCause.ConntrackFull),
            DropsSnatPorts = collector.Drops(DropCause.SnatPorts),
            DropsNatPortExhausted = collector.Drops(DropCause.NatPortExhausted),
            DropsNoEndpoint = collector.Drops(DropCause.NoEndpoint),
            ConntrackEntriesPeak = conntrackPeak,
            ConntrackEntriesMean = conntrackMean,
            NatPortsInUsePeak = model.Gateway.PeakInUse,
            IngressCpuUtilizationMax = model.Ingress.Cpus.Max(cpu => cpu.Utilization(now)),
            NodeCpuUtilizationMax = cpuMax,
            RuleSyncLatencyP99Ms = collector.RuleSyncLatency.Count == 0 ? 0 : collector.RuleSyncLatency.ValueAtQuantile(0.99) / 1e6,
            DnsLookupP99Ms = collector.DnsLatency.Count == 0 ? 0 : collector.DnsLatency.ValueAtQuantile(0.99) / 1e6,
            DnsLookupsTimedOut = collector.DnsTimeouts,
            Events = model.Simulator.EventsProcessed,
            WallSeconds = wallSeconds,
        };
    }

    private static double Microseconds(LatencyHistogram histogram, double quantile) =>
        histogram.Count == 0 ? 0 : histogram.ValueAtQuantile(quantile) / 1e3;
}
