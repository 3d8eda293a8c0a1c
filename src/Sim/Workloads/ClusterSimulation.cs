using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Sim.Workloads;

/// <summary>
/// One run as a function: a cluster, its workloads, a warm-up and a measured duration, a
/// seed → the run's metrics, the same for the same inputs. Cheap to call repeatedly from code (sweeps, searches, notebooks).
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
        RunMetrics metrics = collector.Measure(model);
        DrainRuleSyncs(model, cancellationToken);
        return metrics with
        {
            RuleSyncLatencyP99Ms = collector.RuleSyncLatencyP99Ms,
            Events = simulator.EventsProcessed,
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
}
