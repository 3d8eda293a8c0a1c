using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
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
    /// <summary>
    /// The longest run (warm-up plus measured window): 100,000 hours, about a twenty-fifth of what
    /// simulated time can hold, so the drain after the window and every timer armed near its end still fit.
    /// </summary>
    public static readonly SimTime MaxRunTime = SimTime.FromSeconds(100_000 * 3600);

    /// <summary>Builds the cluster, fills its tables if <see cref="ClusterOptions.WarmStart"/> asks, runs warm-up then the window, and measures.</summary>
    /// <exception cref="ArgumentException">Invalid options (see <see cref="Validate"/>).</exception>
    public static RunMetrics Run(ClusterOptions cluster, IReadOnlyList<WorkloadOptions> workloads, SimTime warmup, SimTime duration, ulong seed,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<OptionProblem> problems = Validate(cluster, workloads, warmup, duration);
        if (problems.Count > 0) throw new ArgumentException("Invalid run: " + string.Join("; ", problems.Select(problem => problem.Message)));
        var simulator = new Simulator(seed);
        var collector = new MetricsCollector(simulator);
        var model = new ClusterModel(simulator, cluster, collector, workloads.Select(w => w.Traffic).ToArray());
        var sources = new PoissonConnectionSource[workloads.Count];
        for (int i = 0; i < workloads.Count; i++)
            sources[i] = new PoissonConnectionSource(model, workloads[i], i, $"workload-{i}");
        if (cluster.WarmStart == WarmStartMode.Stationary) StationaryWarmStart.Apply(model, workloads);

        RunInSlices(simulator, warmup, cancellationToken);
        model.StartWindow();
        collector.StartWindow();
        RunInSlices(simulator, warmup + duration, cancellationToken);
        collector.EndWindow();
        foreach (PoissonConnectionSource source in sources) source.Stop();
        RunMetrics metrics = collector.Measure(model);
        model.Churn?.Stop();
        DrainRuleSyncs(model, cancellationToken);
        return collector.WithRuleProgramming(metrics) with
        {
            Events = simulator.EventsProcessed,
        };
    }

    /// <summary>
    /// Everything that makes a run impossible, each named by its option: the cluster's own problems
    /// (<see cref="ClusterOptions.Validate"/>), each workload's (<c>Workloads[i].…</c>), and what only the
    /// two together decide: traffic to Services needs Services, the ingress tier routes one host per
    /// Service, controllers and CoreDNS replicas are pods, and the run must fit in simulated time.
    /// </summary>
    public static IReadOnlyList<OptionProblem> Validate(ClusterOptions cluster, IReadOnlyList<WorkloadOptions> workloads, SimTime warmup, SimTime duration)
    {
        var problems = new List<OptionProblem>(cluster.Validate());
        if (workloads.Count == 0) problems.Add(new OptionProblem("Workloads", "at least one workload", "none"));
        for (int i = 0; i < workloads.Count; i++)
        {
            WorkloadOptions workload = workloads[i];
            string name = $"Workloads[{ClusterOptions.Text(i)}]";
            problems.AddRange(workload.Validate().Select(problem => problem.Under(name + ".")));
            if (workload.NeedsServices && cluster.Services == 0)
                problems.Add(new OptionProblem(nameof(ClusterOptions.Services), $"at least 1 Service, because workload {ClusterOptions.Text(i)} ({workload.Kind}) sends its traffic to Services", "0"));
            if (workload.Kind == WorkloadKind.Ingress && cluster.Services >= 1 && cluster.Ingress.Hosts > cluster.Services)
                problems.Add(new OptionProblem("Ingress.Hosts", $"at most one host per Service ({ClusterOptions.Text(cluster.Services)})", ClusterOptions.Text(cluster.Ingress.Hosts)));
            if (workload.Kind is WorkloadKind.Ingress or WorkloadKind.LoadBalancer && cluster.Ingress.ControllerReplicas > cluster.TotalPods)
                problems.Add(new OptionProblem("Ingress.ControllerReplicas", $"at most the pods of the cluster ({ClusterOptions.Text(cluster.TotalPods)})", ClusterOptions.Text(cluster.Ingress.ControllerReplicas)));
            if (workload.Kind == WorkloadKind.Dns && cluster.Dns.CoreDnsReplicas > cluster.TotalPods)
                problems.Add(new OptionProblem("Dns.CoreDnsReplicas", $"at most the pods of the cluster ({ClusterOptions.Text(cluster.TotalPods)})", ClusterOptions.Text(cluster.Dns.CoreDnsReplicas)));
        }
        if (duration <= SimTime.Zero) problems.Add(new OptionProblem("Duration", "a duration greater than zero", duration.ToString()));
        if (warmup < SimTime.Zero) problems.Add(new OptionProblem("Warmup", "a duration of zero or more", warmup.ToString()));
        else if (duration > SimTime.Zero && duration.Nanoseconds > MaxRunTime.Nanoseconds - warmup.Nanoseconds)
            problems.Add(new OptionProblem("Duration", $"warmup + duration of at most {MaxRunTime} of simulated time", $"{warmup} + {duration}"));
        return problems;
    }

    /// <summary>
    /// Runs on after the window, churn stopped, until every node has synced the changes made inside it (at most one
    /// FullSyncPeriod: a full nftables sync at scale takes minutes), so slow syncs are measured rather than cut off at
    /// the window's end, which would bias the p99 low. Nothing else is measured meanwhile.
    /// </summary>
    private static void DrainRuleSyncs(ClusterModel model, CancellationToken cancellationToken)
    {
        long lastChange = model.Catalog.CurrentVersion;
        SimTime limit = model.Simulator.Now + KubeProxy.FullSyncPeriod;
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
