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
        var sources = new PoissonConnectionSource[workloads.Count];
        for (int i = 0; i < workloads.Count; i++)
            sources[i] = new PoissonConnectionSource(model, workloads[i], i, $"workload-{i}");

        RunInSlices(simulator, warmup, cancellationToken);
        model.StartWindow();
        collector.StartWindow();
        RunInSlices(simulator, warmup + duration, cancellationToken);
        collector.EndWindow();
        foreach (PoissonConnectionSource source in sources) source.Stop();
        RunMetrics metrics = Measure(model, collector, duration, clock.Elapsed.TotalSeconds);
        DrainRuleSyncs(model, cancellationToken);
        return metrics with
        {
            RuleSyncLatencyP99Ms = Milliseconds(collector.RuleSyncLatency, 0.99),
            Events = simulator.EventsProcessed,
            WallSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// Runs on after the window until every node has synced the changes made inside it (at most
    /// two sync periods), so slow syncs are measured rather than cut off at the window's end,
    /// which would bias the p99 low. Nothing else is measured meanwhile.
    /// </summary>
    private static void DrainRuleSyncs(ClusterModel model, CancellationToken cancellationToken)
    {
        long lastChange = model.Catalog.CurrentVersion;
        SimTime limit = model.Simulator.Now + model.Options.SyncPeriod * 2;
        while (model.KubeProxies.Min(proxy => proxy.SyncedVersion) < lastChange && model.Simulator.Now < limit)
            RunInSlices(model.Simulator, SimTime.Min(limit, model.Simulator.Now + SimTime.FromMilliseconds(500)), cancellationToken);
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
        long earlyDrops = 0;
        long gcEvictions = 0;
        int snatPerDestination = 0;
        foreach (Node node in model.Nodes)
        {
            earlyDrops += node.Conntrack.EarlyDropped;
            gcEvictions += node.Conntrack.GcEvicted;
            snatPerDestination = Math.Max(snatPerDestination, node.Snat.PeakInUseTowardOneDestination);
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
            RuleSyncLatencyP99Ms = Milliseconds(collector.RuleSyncLatency, 0.99),
            DnsLookupP99Ms = Milliseconds(collector.DnsLatency, 0.99),
            DnsLookupsTimedOut = collector.DnsTimeouts,
            Events = model.Simulator.EventsProcessed,
            WallSeconds = wallSeconds,
            ConntrackEarlyDrops = earlyDrops,
            ConntrackGcEvictions = gcEvictions,
            SnatPortsPerDestinationPeak = snatPerDestination,
            NatPortsPerDestinationPeak = model.Gateway.PeakHeldPerDestination,
            LinkUtilizationMax = model.Fabric.Links.Max(link => link.Utilization(now)),
            CorednsCpuUtilizationMax = model.Dns.CoreDnsCpus.Max(cpu => cpu.Utilization(now)),
            NatAllocations = model.Gateway.Allocated,
        };
    }

    /// <summary>A quantile in microseconds; 0 when nothing was recorded (an empty column reads as "no such traffic").</summary>
    private static double Microseconds(LatencyHistogram histogram, double quantile) =>
        histogram.Count == 0 ? 0 : histogram.ValueAtQuantile(quantile) / 1e3;

    private static double Milliseconds(LatencyHistogram histogram, double quantile) => Microseconds(histogram, quantile) / 1e3;
}
