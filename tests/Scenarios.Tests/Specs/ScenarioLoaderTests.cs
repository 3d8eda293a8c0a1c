using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;


namespace ClusterNetPerf.Scenarios.Tests.Specs;

public sealed class ScenarioLoaderTests : IDisposable
{
    private static readonly HashSet<string> KnownCosts = ["iptablesPerRule", "conntrackInsert"];
    private readonly ScenarioLoader _loader = new(KnownCosts.Contains, ClusterOptionsBuilder.Problems);
    private readonly TempDirectory _dir = new();

    private const string Minimal = """
        name: minimal
        workloads:
          - type: serviceCalls
            connectionsPerSecond: 100
        """;

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Studies => [.. StudyCatalog.Names];

    [Fact]
    public void SevenStudiesAreShippedWithTheDefaultAmongThem()
    {
        Assert.Equal(["conntrack-pressure", "envelope", "envelope-50k", "ingress-tier", "nat-gateway-sizing", "nat-presets", "network-programming", "overlay-cost", "pod-scaling", "service-scaling"], StudyCatalog.Names);
        Assert.Contains(StudyCatalog.DefaultStudy, StudyCatalog.Names);
    }

    [Theory]
    [MemberData(nameof(Studies))]
    public void EveryShippedStudyLoadsWithItsWholeSweep(string study)
    {
        ResolvedScenario resolved = _loader.Resolve(study, []);

        Assert.Equal(study, resolved.Scenario.Name);
        Assert.NotEmpty(resolved.Scenario.Description);
        Assert.NotEmpty(resolved.Scenario.ExpectedResult);
        Assert.NotEmpty(resolved.Scenario.Workloads);
        Assert.Equal(resolved.Scenario.Sweep.PointCount, resolved.Points.Count);
        Assert.True(resolved.Points.Count > 1);
        Assert.All(resolved.Points, point => Assert.Empty(point.Scenario.Sweep.Axes));
    }

    [Fact]
    public void DefaultsAreFilledIn()
    {
        ScenarioSpec spec = _loader.ResolveText(Minimal, "minimal.yaml", []).Scenario;

        Assert.Equal(1UL, spec.Seed);
        Assert.Equal(SimTime.FromSeconds(10), spec.Duration);
        Assert.Equal(SimTime.FromSeconds(2), spec.Warmup);
        Assert.Equal(3, spec.Replications);
        Assert.Equal(3, spec.Cluster.Nodes);
        Assert.Equal("10.244.0.0/16", spec.Cluster.PodCidr.ToString());
        Assert.Equal(DataRate.FromGigabitsPerSecond(25), spec.Cluster.Node.Nic.Bandwidth);
        Assert.Equal(KubeProxyMode.Iptables, spec.Cluster.KubeProxy.Mode);
        Assert.Null(spec.Cluster.Conntrack.Max);
        Assert.Equal(262144, ClusterOptionsBuilder.ClusterOptionsOf(spec).EffectiveConntrackMax);
        Assert.Equal(PortRange.Unprivileged, spec.Egress.SnatPortRange);
        Assert.Equal(ExternalTrafficPolicy.Cluster, spec.Ingress.ExternalTrafficPolicy);
        WorkloadSpec workload = Assert.Single(spec.Workloads);
        Assert.Equal(DistributionSpec.Fixed(ByteSize.FromKibibytes(16)), workload.ResponseSize);
    }

    [Fact]
    public void KernelAndNodeCpusReachTheLibraryOptions()
    {
        ScenarioSpec spec = _loader.ResolveText("cluster:\n  kernel: \"5.15\"\n  node: { cpus: 16 }\n" + Minimal, "k.yaml", []).Scenario;
        ScenarioSpec plain = _loader.ResolveText(Minimal, "m.yaml", []).Scenario;

        Assert.Equal(new KernelVersion(5, 15), spec.Cluster.Kernel);
        Assert.Equal(16, spec.Cluster.Node.Cpus);
        Assert.Null(plain.Cluster.Kernel);
        Assert.Null(plain.Cluster.Node.Cpus);
    }

    [Fact]
    public void WarmStartReachesTheLibraryOptionsAndIsNoneByDefault()
    {
        ScenarioSpec spec = _loader.ResolveText("warmStart: stationary\n" + Minimal, "w.yaml", []).Scenario;
        ScenarioSpec plain = _loader.ResolveText(Minimal, "m.yaml", []).Scenario;

        Assert.Equal(WarmStartMode.Stationary, ClusterOptionsBuilder.ClusterOptionsOf(spec).WarmStart);
        Assert.Equal(WarmStartMode.None, ClusterOptionsBuilder.ClusterOptionsOf(plain).WarmStart);
        ScenarioException error = Assert.Throws<ScenarioException>(() => _loader.ResolveText("warmStart: hot\n" + Minimal, "bad.yaml", []));
        Assert.Contains("warmStart: expected one of none, stationary", error.Messages[0]);
    }

    [Fact]
    public void SweepExpandsFirstAxisOutermost()
    {
        ResolvedScenario resolved = _loader.ResolveText(Minimal + """

            sweep:
              services.count: [10, 20]
              cluster.kubeProxy.mode: [iptables, ipvs, ebpf]
            """, "s.yaml", []);

        Assert.Equal(
            ["services.count=10,cluster.kubeProxy.mode=iptables", "services.count=10,cluster.kubeProxy.mode=ipvs",
             "services.count=10,cluster.kubeProxy.mode=ebpf", "services.count=20,cluster.kubeProxy.mode=iptables",
             "services.count=20,cluster.kubeProxy.mode=ipvs", "services.count=20,cluster.kubeProxy.mode=ebpf"],
            resolved.Points.Select(point => point.Key));
        Assert.Equal(20, resolved.Points[4].Scenario.Services.Count);
        Assert.Equal(KubeProxyMode.Ipvs, resolved.Points[4].Scenario.Cluster.KubeProxy.Mode);
    }

    [Fact]
    public void DistributionsAndCostsAreRead()
    {
        ScenarioSpec spec = _loader.ResolveText("""
            name: d
            cluster:
              costs: { iptablesPerRule: 20ns, conntrackInsert: 1us }
            workloads:
              - type: podToPod
                connectionsPerSecond: 10
                sameNodeFraction: 0.5
                requestSize: { distribution: boundedPareto, min: 1KiB, max: 1MiB, shape: 1.2 }
                responseSize: { distribution: empirical, points: [[1KiB, 0.5], [64KiB, 0.9], [1MiB, 1]] }
            """, "d.yaml", []).Scenario;

        Assert.Equal(["iptablesPerRule", "conntrackInsert"], spec.Cluster.Costs.Keys);
        Assert.Equal(SimTime.FromNanoseconds(20), spec.Cluster.Costs["iptablesPerRule"]);
        WorkloadSpec workload = spec.Workloads[0];
        Assert.Equal(DistributionKind.BoundedPareto, workload.RequestSize.Kind);
        Assert.Equal(1.2, workload.RequestSize.Shape);
        Assert.Equal(3, workload.ResponseSize.Points!.Count);
        Assert.Equal(0.5, workload.SameNodeFraction);
    }

    [Theory]
    [InlineData("cluster:\n  nodez: 3\n", 2, 3, "cluster.nodez", "'nodez'")]
    [InlineData("cluster:\n  node:\n    nic: { bandwidth: 25Gbsp }\n", 3, 23, "cluster.node.nic.bandwidth", "'25Gbsp'")]
    [InlineData("duration: 30\n", 1, 11, "duration", "'30'")]
    [InlineData("cluster:\n  kubeProxy: { mode: userspace }\n", 2, 22, "cluster.kubeProxy.mode", "'userspace'")]
    [InlineData("cluster:\n  podCidr: 10.244.0.0/24\n  nodes: 3\n", 2, 12, "cluster.podCidr", "10.244.0.0/24, which holds 1")]
    [InlineData("cluster:\n  nodeCidrPrefix: 29\n  podsPerNode: 10\n", 3, 16, "cluster.podsPerNode", "10")]
    [InlineData("cluster:\n  podCidr: 10.244.0.1/16\n", 2, 12, "cluster.podCidr", "'10.244.0.1/16'")]
    [InlineData("cluster:\n  costs: { iptablesPerRul: 20ns }\n", 2, 12, "cluster.costs.iptablesPerRul", "'iptablesPerRul'")]
    [InlineData("sweep:\n  services.cont: [1, 2]\n", 2, 3, "services.cont", "'cont'")]
    [InlineData("sweep:\n  workloads[1].connectionsPerSecond: [1, 2]\n", 2, 3, "workloads", "1 items")]
    [InlineData("sweep:\n  cluster.kubeProxy.mode: [iptables, bogus]\n", 2, 38, "cluster.kubeProxy.mode", "'bogus'")]
    [InlineData("cluster:\n  kernel: \"5.4\"\n", 2, 11, "cluster.kernel", "'5.4'")]
    [InlineData("cluster:\n  node: { cpus: 0 }\n", 2, 17, "cluster.node.cpus", "0")]
    public void EachProblemNamesFileLineColumnAndKey(string extra, int line, int column, string path, string found)
    {
        string file = _dir.Write("bad.yaml", extra + Minimal);

        AssertSingleProblem(() => _loader.Load(file, []), $"{file}:{line}:{column}: {path}: expected ", found);
    }

    /// <summary>Loading fails with exactly one message, which starts with <paramref name="start"/> and ends with what was found.</summary>
    private static void AssertSingleProblem(Func<object> load, string start, string found)
    {
        ScenarioException error = Assert.Throws<ScenarioException>(load);
        string message = Assert.Single(error.Messages);
        Assert.StartsWith(start, message);
        Assert.EndsWith($", found {found}", message);
    }

    [Fact]
    public void DnsResolverKeysAndNamesAreRead()
    {
        ScenarioSpec spec = _loader.ResolveText("""
            name: d
            dns: { ndots: 2, extraSearchDomains: [corp.example, example.net], nodeLocalCache: true, nodeLocalCacheHitRatio: 0.5, raceProbability: 0.01 }
            workloads:
              - type: dns
                connectionsPerSecond: 10
                names: 0.25
              - type: dns
                connectionsPerSecond: 10
                names: external
            """, "d.yaml", []).Scenario;

        Assert.Equal(2, spec.Dns.Ndots);
        Assert.Equal(["corp.example", "example.net"], spec.Dns.ExtraSearchDomains);
        Assert.True(spec.Dns.NodeLocalCache);
        Assert.Equal(0.5, spec.Dns.NodeLocalCacheHitRatio);
        Assert.Equal(0.01, spec.Dns.RaceProbability);
        Assert.Equal([0.25, 1.0], spec.Workloads.Select(w => w.ExternalNameFraction));
        // Left out, the race follows the kernel and CoreDNS costs the library's figure.
        ScenarioSpec defaults = _loader.ResolveText("name: e\nworkloads:\n  - { type: dns, connectionsPerSecond: 1 }\n", "e.yaml", []).Scenario;
        Assert.Null(defaults.Dns.RaceProbability);
        Assert.Equal(SimTime.FromNanoseconds(56_430), defaults.Dns.CostPerQuery);
        Assert.Equal(0.0, defaults.Workloads[0].ExternalNameFraction);
    }

    [Theory]
    [InlineData("connectionsPerSecond: -5", "workloads[0].connectionsPerSecond", "-5")]
    [InlineData("connectionsPerSecond: 0", "workloads[0].connectionsPerSecond", "0")]
    [InlineData("responseSize: { distribution: uniform, min: 1KiB }", "workloads[0].responseSize.max", "nothing")]
    [InlineData("responseSize: { distribution: lognormal, median: 1KiB, sigma: 1, mean: 2KiB }", "workloads[0].responseSize.mean", "'mean'")]
    [InlineData("responseSize: { distribution: empirical, points: [[1KiB, 0.5], [2KiB, 0.9]] }", "workloads[0].responseSize.points", "0.9")]
    [InlineData("sameNodeFraction: 0.5", "workloads[0].sameNodeFraction", "a serviceCalls workload")]
    [InlineData("names: external", "workloads[0].names", "a serviceCalls workload")]
    public void WorkloadValuesAreValidated(string line, string path, string found)
    {
        string file = _dir.Write("w.yaml", $"name: w\nworkloads:\n  - type: serviceCalls\n    {line}\n" + (line.StartsWith("conn") ? "" : "    connectionsPerSecond: 1\n"));

        AssertSingleProblem(() => _loader.Load(file, []), $"{file}:4:", found);
        Assert.Contains($": {path}: expected ", Assert.Throws<ScenarioException>(() => _loader.Load(file, [])).Messages[0]);
    }

    [Fact]
    public void AllProblemsAreReportedNotJustTheFirst()
    {
        string file = _dir.Write("many.yaml", """
            name: many
            duration: 5
            cluster:
              nodes: -1
              color: blue
            workloads:
              - type: teleport
                connectionsPerSecond: -3
            """);

        ScenarioException error = Assert.Throws<ScenarioException>(() => _loader.Load(file, []));

        Assert.Equal(
            [$"{file}:2:11: duration", $"{file}:4:10: cluster.nodes", $"{file}:5:3: cluster.color",
             $"{file}:7:11: workloads[0].type", $"{file}:8:27: workloads[0].connectionsPerSecond"],
            error.Messages.Select(message => message[..message.IndexOf(": expected", StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MissingRequiredKeysAreReported()
    {
        ScenarioException error = Assert.Throws<ScenarioException>(() => _loader.ResolveText("seed: 4\n", "empty.yaml", []));

        Assert.Equal(2, error.Messages.Count);
        Assert.StartsWith("empty.yaml:1:1: name: expected a name of 1 to 100 letters", error.Messages[0]);
        Assert.StartsWith("empty.yaml:1:1: workloads: expected a list of at least one workload", error.Messages[1]);
    }

    [Fact]
    public void SyntaxErrorsAreLocated()
    {
        ScenarioException error = Assert.Throws<ScenarioException>(() => _loader.ResolveText("name: [unclosed\n", "syntax.yaml", []));

        Assert.Matches(@"^syntax\.yaml:\d+:\d+: \(document\): expected valid YAML, found '", Assert.Single(error.Messages));
    }

    [Fact]
    public void SetOverridesApplyAndCreateMissingSections()
    {
        ScenarioSpec spec = _loader.ResolveText(Minimal, "m.yaml",
            ["services.count=5000", "cluster.node.nic.bandwidth=100Gbps", "workloads[0].responseSize=4KiB", "seed=42"]).Scenario;

        Assert.Equal(5000, spec.Services.Count);
        Assert.Equal(DataRate.FromGigabitsPerSecond(100), spec.Cluster.Node.Nic.Bandwidth);
        Assert.Equal(DistributionSpec.Fixed(ByteSize.FromKibibytes(4)), spec.Workloads[0].ResponseSize);
        Assert.Equal(42UL, spec.Seed);
    }

    [Theory]
    [InlineData("services.count=-1", "services.count", "-1")]
    [InlineData("services.cont=5", "services.cont", "'cont'")]
    [InlineData("cluster.fabric.latency=10", "cluster.fabric.latency", "'10'")]
    [InlineData("workloads[2].connectionsPerSecond=5", "workloads", "1 items")]
    [InlineData("nodes", "--set", "'nodes'")]
    [InlineData("cluster.kubeProxy.version=1.18", "cluster.kubeProxy.version", "1.18")]
    public void SetProblemsNameTheSetArgument(string set, string path, string found)
    {
        AssertSingleProblem(() => _loader.ResolveText(Minimal, "m.yaml", [set]), $"--set '{set}': {path}: expected ", found);
    }

    [Fact]
    public void KubeProxyVersionReachesTheLibraryAndDefaultsToItsCurrentRelease()
    {
        Assert.Equal(KubeProxyRelease.Current, _loader.ResolveText(Minimal, "m.yaml", []).Points[0].Scenario.Cluster.KubeProxy.Version);
        Assert.Equal(33, _loader.ResolveText(Minimal, "m.yaml", ["cluster.kubeProxy.version=1.33"]).Points[0].Scenario.Cluster.KubeProxy.Version.Minor);
    }

    [Fact]
    public void SweepPointsAreValidatedInCombination()
    {
        ScenarioException error = Assert.Throws<ScenarioException>(() => _loader.ResolveText("""
            name: combo
            cluster: { podCidr: 10.0.0.0/20 }
            workloads: [{ type: dns, connectionsPerSecond: 1 }]
            sweep:
              cluster.nodes: [8, 32]
              cluster.nodeCidrPrefix: [24, 26]
            """, "combo.yaml", []));

        Assert.StartsWith("combo.yaml:2:21: cluster.podCidr: expected a pod CIDR with room for 32 node blocks of /24, found 10.0.0.0/20, which holds 16",
            Assert.Single(error.Messages));
    }

    [Fact]
    public void UnknownFileOrStudyIsAnError()
    {
        ScenarioException error = Assert.Throws<ScenarioException>(() => _loader.Load("no-such-study", []));

        Assert.Contains("service-scaling", Assert.Single(error.Messages));
    }

    [Fact]
    public void ResolvedScenarioSerialisesWithUnitsAsText()
    {
        string json = ScenarioJson.Serialize(_loader.Load("service-scaling", []));

        Assert.Contains("\"bandwidth\": \"25Gbps\"", json);
        Assert.Contains("\"warmup\": \"500ms\"", json);
        Assert.Contains("\"latency\": \"10us\"", json);
        Assert.Contains("\"podCidr\": \"10.244.0.0/16\"", json);
        Assert.Contains("\"snatPortRange\": \"1024-65535\"", json);
        Assert.Contains("\"mode\": \"iptables\"", json);
        Assert.Contains("\"externalTrafficPolicy\": \"Cluster\"", json);
        Assert.Contains("\"path\": \"services.count\"", json);
    }
}
