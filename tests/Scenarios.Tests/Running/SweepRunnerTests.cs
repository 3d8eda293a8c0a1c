using System.Text.Json.Nodes;
using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Tests.Running;

public sealed class SweepRunnerTests : IDisposable
{
    private const string Yaml = """
        name: fake-sweep
        seed: 7
        replications: 3
        workloads: [{ type: serviceCalls, connectionsPerSecond: 100 }]
        sweep:
          services.count: [10, 100, 1000, 10000]
          cluster.kubeProxy.mode: [iptables, ipvs]
        """;

    private readonly TempDirectory _dir = new();
    private readonly ResolvedScenario _resolved = ClusterRunner.CreateLoader().ResolveText(Yaml, "fake.yaml", []);

    public void Dispose() => _dir.Dispose();

    private string Out(string name) => Path.Combine(_dir.Path, name);

    private void Sweep(string output, SweepSettings settings, FakePointRunner? runner = null, CancellationToken token = default) =>
        new SweepRunner(runner ?? new FakePointRunner(), SilentProgress.Instance).Run(_resolved, settings with { OutputDirectory = output }, token);

    private static SweepSettings Settings(int jobs = 1) => new("") { Jobs = jobs };

    /// <summary>Every file of both directories, same names and same bytes; run.json the same but for its wall-clock fields.</summary>
    private static void AssertSameFiles(string expected, string actual)
    {
        string[] names = [.. Directory.GetFiles(expected).Select(Path.GetFileName).Order()!];
        Assert.Equal(names, Directory.GetFiles(actual).Select(Path.GetFileName).Order());
        foreach (string name in names.Where(name => name != "run.json"))
            Assert.True(File.ReadAllBytes(Path.Combine(expected, name)).SequenceEqual(File.ReadAllBytes(Path.Combine(actual, name))), $"{name} differs");
        if (names.Contains("run.json"))
            Assert.Equal(RunJson.WithoutWallClock(expected), RunJson.WithoutWallClock(actual));
    }

    [Fact]
    public void OutputsAreByteIdenticalWhateverTheJobCount()
    {
        Sweep(Out("one"), Settings(jobs: 1));
        Sweep(Out("two"), Settings(jobs: 2));

        AssertSameFiles(Out("one"), Out("two"));
        Assert.Contains("points.csv", Directory.GetFiles(Out("one")).Select(Path.GetFileName));
        Assert.Contains("setup_latency_p99_us.png", Directory.GetFiles(Out("one")).Select(Path.GetFileName));
        Assert.Contains("setup_latency_p99_us.svg", Directory.GetFiles(Out("one")).Select(Path.GetFileName));
        Assert.False(Directory.Exists(Path.Combine(Out("one"), ".partial")));
    }

    [Fact]
    public void WallClockTimesGoToRunJsonOnePerRunInCanonicalOrder()
    {
        Sweep(Out("t"), Settings(jobs: 2));

        Assert.DoesNotContain("wall", File.ReadAllLines(Path.Combine(Out("t"), "points.csv"))[0]);
        Assert.DoesNotContain("wall", File.ReadAllLines(Path.Combine(Out("t"), "summary.csv"))[0]);
        JsonObject run = RunJson.Read(Out("t"));
        JsonArray timings = run["timings"]!.AsArray();
        JsonArray seeds = run["seeds"]!.AsArray();
        Assert.Equal(24, timings.Count);
        for (int i = 0; i < timings.Count; i++)
        {
            Assert.Equal((string)seeds[i]!["point"]!, (string)timings[i]!["point"]!);
            Assert.Equal((int)seeds[i]!["replication"]!, (int)timings[i]!["replication"]!);
            Assert.True((double)timings[i]!["wallSeconds"]! >= 0);
        }
        Assert.True((double)run["wallSeconds"]! > 0);
    }

    [Fact]
    public void EachRunGetsTheSeedDerivedFromItsPointAndReplication()
    {
        var runner = new FakePointRunner();
        Sweep(Out("s"), Settings(), runner);

        IReadOnlyList<SweepTask> tasks = SweepTask.All(_resolved);
        Assert.Equal(24, tasks.Count);
        Assert.Equal(tasks.Select(task => task.Seed).Order(), runner.Seeds.Order());
        Assert.Equal(24, runner.Seeds.Distinct().Count());
        Assert.Equal(SweepTask.SeedOf(7, "services.count=100,cluster.kubeProxy.mode=ipvs", 2), tasks[3 * 3 + 2].Seed);
        string row = File.ReadAllLines(Path.Combine(Out("s"), "points.csv"))[3 * 3 + 2 + 1];
        Assert.StartsWith($"100,ipvs,2,{tasks[11].Seed},", row);
    }

    [Fact]
    public void ResumeRunsOnlyWhatTheInterruptedSweepDidNotFinish()
    {
        using var interrupt = new CancellationTokenSource();
        var first = new FakePointRunner(interrupt, interruptAfter: 5);
        Assert.ThrowsAny<OperationCanceledException>(() => Sweep(Out("r"), Settings(), first, interrupt.Token));

        Assert.Equal(5, first.Seeds.Count);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(Out("r"), ".partial", "completed.jsonl")).Length);
        Assert.False(File.Exists(Path.Combine(Out("r"), "points.csv")));

        var second = new FakePointRunner();
        Sweep(Out("r"), Settings() with { Resume = true }, second);

        Assert.Equal(19, second.Seeds.Count);
        Assert.Empty(second.Seeds.Intersect(first.Seeds));
        Sweep(Out("whole"), Settings());
        AssertSameFiles(Out("whole"), Out("r"));
        Assert.False(Directory.Exists(Path.Combine(Out("r"), ".partial")));
    }

    [Fact]
    public void ResumingTheLogOfAnotherScenarioIsRefused()
    {
        using var interrupt = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => Sweep(Out("x"), Settings(), new FakePointRunner(interrupt, 2), interrupt.Token));
        ResolvedScenario other = ClusterRunner.CreateLoader().ResolveText(Yaml.Replace("seed: 7", "seed: 8"), "fake.yaml", []);

        ScenarioException error = Assert.Throws<ScenarioException>(() =>
            new SweepRunner(new FakePointRunner(), SilentProgress.Instance).Run(other, Settings() with { OutputDirectory = Out("x"), Resume = true }, default));

        Assert.Contains("--resume", error.Messages[0]);
    }

    [Fact]
    public void ShardsMergeIntoExactlyWhatOneRunWrites()
    {
        Sweep(Out("single"), Settings(jobs: 2));
        Sweep(Out("shard0"), Settings() with { Shard = new Shard(0, 2) });
        Sweep(Out("shard1"), Settings(jobs: 2) with { Shard = new Shard(1, 2) });

        Assert.Equal(["points.csv", "shard.json"], Directory.GetFiles(Out("shard0")).Select(Path.GetFileName).Order());
        Assert.Equal(13, File.ReadAllLines(Path.Combine(Out("shard0"), "points.csv")).Length);

        ShardMerger.Merge([Out("shard1"), Out("shard0")], Out("merged"));

        AssertSameFiles(Out("single"), Out("merged"));
    }

    [Fact]
    public void MergeRefusesAnIncompleteSetOfShards()
    {
        Sweep(Out("shard0"), Settings() with { Shard = new Shard(0, 3) });
        Sweep(Out("shard2"), Settings() with { Shard = new Shard(2, 3) });

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => ShardMerger.Merge([Out("shard0"), Out("shard2")], Out("merged")));

        Assert.Contains("expected shards 0 to 2 once each, found 0, 2", error.Message);
        Assert.False(Directory.Exists(Out("merged")));
    }

    [Theory]
    [InlineData("0/2", 0, 2)]
    [InlineData("3/4", 3, 4)]
    public void ShardsParse(string text, int index, int count)
    {
        Assert.True(Shard.TryParse(text, out Shard shard));
        Assert.Equal(new Shard(index, count), shard);
        Assert.Equal(text, shard.ToString());
    }

    [Theory]
    [InlineData("2/2")]
    [InlineData("1/0")]
    [InlineData("-1/2")]
    [InlineData("1")]
    public void BadShardsDoNotParse(string text) => Assert.False(Shard.TryParse(text, out _));

    [Fact]
    public void IndexedJobEnvironmentGivesTheShard()
    {
        var environment = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "3", ["JOB_COMPLETIONS"] = "8" };

        Assert.Equal(new Shard(3, 8), Shard.FromEnvironment(environment.GetValueOrDefault));
        Assert.Null(Shard.FromEnvironment(_ => null));
    }
}
