using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Tests.Cluster.ServiceProxy;

/// <summary>
/// The sync runner as kube-proxy's releases drive it (pkg/util/async and pkg/proxy/runner bounded_frequency_runner.go,
/// pkg/proxy/iptables/proxier.go syncProxyRules), with a proxy whose syncs take a fixed time.
/// </summary>
public sealed class SyncSchedulingTests
{
    private static readonly SimTime SyncTime = SimTime.FromMilliseconds(300);

    private sealed class FixedCostProxy(KubeProxyMode mode) : IServiceProxy
    {
        public KubeProxyMode Mode => mode;
        public bool UsesConntrack => true;
        public SimTime NonServiceNewConnectionWork => SimTime.Zero;
        public SimTime TranslateNewConnection(int node, int service, ReadOnlySpan<Endpoint> endpoints, out int chosen) => throw new NotSupportedException();
        public SimTime TranslateNodePort(int node, int service, ReadOnlySpan<Endpoint> endpoints, out int chosen) => throw new NotSupportedException();
        public SimTime SyncDuration(in SyncWork work) => SyncTime;
        public long NatRules(int node) => 0;
        public void ConnectionClosed(int node, Endpoint endpoint) { }
    }

    /// <summary>A node's kube-proxy started at 0 over <paramref name="services"/> × <paramref name="endpoints"/>, and a churn driver changing one Service every <paramref name="every"/>.</summary>
    private sealed class Rig : IEventTarget
    {
        private readonly SimTime _every;

        public Rig(string release, int services, int endpoints, SimTime every, KubeProxyMode mode = KubeProxyMode.Iptables)
        {
            var options = new ClusterOptions { Nodes = 2, PodsPerNode = 100, Services = services, EndpointsPerService = endpoints, KubeProxyRelease = KubeProxyRelease.Parse(release) };
            Simulator = new Simulator(1);
            Catalog = new ServiceCatalog(services, endpoints, new PodTable(options), 80, kubeDnsPods: [0], ingressControllerPods: [1]);
            Proxy = new KubeProxy(Simulator, 0, Catalog, new FixedCostProxy(mode), Observer, options, SimTime.Zero);
            _every = every;
            Simulator.ScheduleAfter(every, this, 0);
        }

        public Simulator Simulator { get; }
        public ServiceCatalog Catalog { get; }
        public KubeProxy Proxy { get; }
        public RecordingObserver Observer { get; } = new();
        public SimTime[] Starts => [.. Observer.Syncs.Select(sync => sync.StartedAt)];

        void IEventTarget.OnEvent(int kind, long argument)
        {
            int service = (int)(Catalog.CurrentVersion % Catalog.Count);
            long version = Catalog.SetEndpoints(Simulator.Now, service, Catalog.Endpoints(service, Catalog.CurrentVersion).ToArray());
            Proxy.Notify(version, SimTime.Zero);
            Simulator.ScheduleAfter(_every, this, 0);
        }
    }

    [Theory]
    [InlineData("1.33", 10, 10)]  // 100 endpoints: not large cluster mode
    [InlineData("1.36", 10, 10)]
    [InlineData("1.36", 200, 10)] // 2,000 endpoints: large cluster mode
    public void No_full_sync_within_an_hour_of_start_unless_forced(string release, int services, int endpoints)
    {
        var rig = new Rig(release, services, endpoints, SimTime.FromMilliseconds(500));
        rig.Simulator.RunUntil(SimTime.FromSeconds(3590));
        Assert.True(rig.Proxy.PartialSyncs > 2500, $"{rig.Proxy.PartialSyncs} partial syncs");
        Assert.Equal(0, rig.Proxy.FullSyncs);

        rig.Proxy.ForceFullSync();
        rig.Simulator.RunUntil(SimTime.FromSeconds(3592));
        Assert.Equal(1, rig.Proxy.FullSyncs);
    }

    [Theory]
    [InlineData("1.32", 10, 10, 0)]  // before PR #129329: never a periodic full sync
    [InlineData("1.33", 10, 10, 1)]  // PR #129329: the first sync an hour after the last full one is full
    [InlineData("1.33", 200, 10, 1)] // 1.33 has no large-cluster exception
    [InlineData("1.36", 10, 10, 1)]
    [InlineData("1.36", 200, 10, 0)] // PR #138571: none in large cluster mode
    public void After_an_hour_the_release_decides_whether_a_sync_is_full(string release, int services, int endpoints, long fullSyncs)
    {
        var rig = new Rig(release, services, endpoints, SimTime.FromMilliseconds(500));
        rig.Simulator.RunUntil(SimTime.FromSeconds(3700));
        Assert.Equal(fullSyncs, rig.Proxy.FullSyncs);
    }

    [Fact]
    public void Without_changes_the_max_interval_still_runs_a_sync_every_hour()
    {
        var rig = new Rig("1.36", 10, 10, SimTime.FromSeconds(100_000));
        rig.Simulator.RunUntil(SimTime.FromSeconds(3 * 3600 + 10));
        Assert.Equal([3600.0, 7200.3, 10800.6], rig.Starts.Select(start => Math.Round(start.TotalSeconds, 1)));
        Assert.All(rig.Observer.Syncs, sync => Assert.True(sync.Full)); // small cluster: each is due a full sync
    }

    /// <summary>
    /// Up to 1.33: a token bucket of burstSyncs = 2 refilled at one per minSyncPeriod, taken at each start. Changes
    /// every 100 ms: the first two syncs run back to back (the burst: 300 ms apart, the first's duration), then starts
    /// are exactly minSyncPeriod (1 s) apart, start to start.
    /// </summary>
    [Fact]
    public void Up_to_1_33_min_sync_period_spaces_starts_after_a_burst_of_two()
    {
        var rig = new Rig("1.33", 10, 10, SimTime.FromMilliseconds(100));
        rig.Simulator.RunUntil(SimTime.FromSeconds(10));
        SimTime[] starts = rig.Starts;
        Assert.Equal(SimTime.FromMilliseconds(100), starts[0]);
        Assert.Equal(SyncTime, starts[1] - starts[0]);
        for (int i = 3; i < starts.Length; i++) Assert.Equal(SimTime.FromSeconds(1), starts[i] - starts[i - 1]);
    }

    /// <summary>From 1.34 (pkg/proxy/runner, PR #131615): no burst; minSyncPeriod runs from the end of a sync to the next start.</summary>
    [Fact]
    public void From_1_34_min_sync_period_runs_from_the_end_of_one_sync_to_the_next_start()
    {
        var rig = new Rig("1.34", 10, 10, SimTime.FromMilliseconds(100));
        rig.Simulator.RunUntil(SimTime.FromSeconds(10));
        SimTime[] starts = rig.Starts;
        for (int i = 1; i < starts.Length; i++) Assert.Equal(SyncTime + SimTime.FromSeconds(1), starts[i] - starts[i - 1]);
    }

    [Fact]
    public void Changes_that_arrive_during_a_sync_are_batched_into_the_next_and_each_is_reported_once()
    {
        var rig = new Rig("1.36", 10, 10, SimTime.FromMilliseconds(100));
        rig.Simulator.RunUntil(SimTime.FromSeconds(10));
        long synced = rig.Proxy.SyncedVersion;
        Assert.Equal(synced, rig.Observer.RuleSyncLatencies.Count);
        Assert.True(rig.Observer.Syncs.Count < synced / 5, "about 13 changes per 1.3 s sync cycle");
        Assert.All(rig.Observer.RuleSyncLatencies, latency => Assert.InRange(latency.Nanoseconds, SyncTime.Nanoseconds, (SimTime.FromSeconds(1) + SyncTime * 2).Nanoseconds));
    }
}
