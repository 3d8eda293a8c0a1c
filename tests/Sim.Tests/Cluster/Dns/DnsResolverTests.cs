using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.Dns;
using ClusterNetPerf.Sim.Cluster;
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
}
