using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.Dns;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Workloads;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Tests.Cluster.Dns;

public sealed class DnsResolverTests
{
    private static RecordingObserver RunLookups(double raceProbability, double lookupsPerSecond, double seconds)
    {
        var options = new ClusterOptions { Nodes = 3, PodsPerNode = 10, Dns = new DnsOptions { RaceProbability = raceProbability } };
        var simulator = new Simulator(5);
        var observer = new RecordingObserver();
        var model = new ClusterModel(simulator, options, observer, [TrafficProfile.Default]);
        _ = new PoissonConnectionSource(model, new WorkloadOptions { Kind = WorkloadKind.Dns, ConnectionsPerSecond = lookupsPerSecond }, 0, "dns-load");
        simulator.RunUntil(SimTime.FromSeconds(seconds));
        return observer;
    }

    [Fact]
    public void Without_the_race_every_lookup_answers_within_a_millisecond()
    {
        RecordingObserver observer = RunLookups(0, 2000, 2);
        Assert.True(observer.DnsLookups.Count > 3000);
        Assert.All(observer.DnsLookups, l => Assert.True(l.Latency < SimTime.FromMilliseconds(1) && !l.TimedOut));
    }

    [Fact]
    public void Raced_lookups_wait_for_the_resolver_timeout_at_the_configured_rate()
    {
        const double race = 0.05;
        RecordingObserver observer = RunLookups(race, 2000, 12);
        // Lookups started early enough that even a raced one has finished by the end of the run.
        var completed = observer.DnsLookups.Where(l => l.StartedAt < SimTime.FromSeconds(6.5)).ToList();
        int n = completed.Count;
        int timedOut = completed.Count(l => l.TimedOut);
        Assert.All(completed.Where(l => l.TimedOut), l => Assert.InRange(l.Latency.TotalSeconds, 5.0, 5.01));
        // Binomial 99.9% interval around the configured probability.
        double halfWidth = Normal.InvCDF(0, 1, 0.9995) * Math.Sqrt(race * (1 - race) / n);
        Assert.InRange(timedOut / (double)n, race - halfWidth, race + halfWidth);
        // With 5% raced, the p99 lookup is a timed-out one.
        double p99 = completed.Select(l => l.Latency.TotalSeconds).OrderBy(x => x).ElementAt((int)(0.99 * n));
        Assert.InRange(p99, 5.0, 5.01);
    }

    /// <summary>
    /// kube-dns is an ordinary Service: restarting its CoreDNS pods changes its endpoints in
    /// the catalog, nodes reach the new ones only once they sync, and every lookup still ends —
    /// answered, retried after the resolver's timeout, or failed — so at every moment the
    /// lookups started are those finished plus those under way, and none is left when
    /// traffic stops.
    /// </summary>
    [Fact]
    public void Every_lookup_ends_when_churn_restarts_the_coredns_pods()
    {
        var options = new ClusterOptions { Nodes = 3, PodsPerNode = 4, Dns = new DnsOptions { CoreDnsReplicas = 3 }, PodRestartsPerSecond = 2 };
        var simulator = new Simulator(11);
        var observer = new RecordingObserver();
        var model = new ClusterModel(simulator, options, observer, [TrafficProfile.Default]);
        var source = new PoissonConnectionSource(model, new WorkloadOptions { Kind = WorkloadKind.Dns, ConnectionsPerSecond = 500 }, 0, "dns-load");
        long kubeDnsChanges = 0;
        for (int second = 1; second <= 20; second++)
        {
            long versionBefore = model.Catalog.CurrentVersion;
            simulator.RunUntil(SimTime.FromSeconds(second));
            Assert.Equal(model.Dns.Started, model.Dns.Finished + model.Dns.InFlight);
            if (model.Catalog.Endpoints(model.Catalog.KubeDns, model.Catalog.CurrentVersion).Length < 3) kubeDnsChanges++;
            Assert.True(model.Catalog.CurrentVersion >= versionBefore);
        }
        source.Stop();
        simulator.RunUntil(simulator.Now + SimTime.FromSeconds(30));

        Assert.Equal(0, model.Dns.InFlight);
        Assert.Equal(model.Dns.Started, model.Dns.Finished);
        Assert.True(kubeDnsChanges > 0, "churn never reached kube-dns");
        // Some lookups met a restarted server and waited for the resolver's timeout.
        Assert.Contains(observer.DnsLookups, l => l.TimedOut);
        Assert.Equal(model.Dns.Started, observer.DnsLookups.Count + observer.Failures.Values.Sum());
    }
}
