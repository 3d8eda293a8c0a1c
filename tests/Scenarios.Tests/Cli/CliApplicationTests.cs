using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Cli;
using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Scenarios.Tests.Running;

namespace ClusterNetPerf.Scenarios.Tests.Cli;

public sealed class CliApplicationTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();
    private readonly FakePointRunner _runner = new();

    public void Dispose() => _dir.Dispose();

    private int Run(params string[] args) => Run(_ => null, args);

    private int Run(Func<string, string?> environment, params string[] args) =>
        new CliApplication(_runner, ClusterRunner.CreateLoader(), ConsoleService.ForWriters(_out, _error), environment).Run(args);

    private string Out(string name) => Path.Combine(_dir.Path, name);

    private const string Small = """
        name: small
        replications: 2
        workloads: [{ type: podToPod, connectionsPerSecond: 10 }]
        sweep:
          services.count: [1, 10, 100]
        """;

    [Fact]
    public void ABadFileExitsWithTwoNamesTheProblemAndWritesNothing()
    {
        string file = _dir.Write("bad.yaml", "name: bad\ncluster: { nodes: many }\nworkloads: [{ type: dns, connectionsPerSecond: 1 }]\n");

        int exit = Run("sweep", file, "--out", Out("results"));

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal($"{file}:2:19: cluster.nodes: expected an integer, found 'many'", _error.ToString().Trim());
        Assert.DoesNotContain("   at ", _error.ToString());
        Assert.False(Directory.Exists(Out("results")));
        Assert.Empty(_runner.Seeds);
    }

    [Theory]
    [InlineData("run", "no-such-file.yaml")]
    [InlineData("sweep", "small.yaml", "--set", "services.count=-3")]
    [InlineData("sweep", "small.yaml", "--shard", "2/2")]
    [InlineData("sweep", "small.yaml", "--jobs", "0")]
    [InlineData("frobnicate")]
    [InlineData("merge", "nowhere", "--out", "merged")]
    public void BadArgumentsExitWithTwoAndWriteNothing(params string[] args)
    {
        _dir.Write("small.yaml", Small);
        string[] located = [.. args.Select(arg => arg is "small.yaml" or "merged" or "nowhere" ? Out(arg) : arg), "--out", Out("results")];
        if (args[0] == "merge") located = [.. located.SkipLast(2)];

        Assert.Equal(ExitCodes.BadInput, Run(located));
        Assert.NotEmpty(_error.ToString());
        Assert.False(Directory.Exists(Out("results")));
        Assert.False(Directory.Exists(Out("merged")));
    }

    [Fact]
    public void SweepWritesEveryOutput()
    {
        string file = _dir.Write("small.yaml", Small);

        Assert.Equal(ExitCodes.Ok, Run("sweep", file, "--out", Out("results"), "--jobs", "2"));

        Assert.Equal(6, _runner.Seeds.Count);
        string[] points = File.ReadAllLines(Path.Combine(Out("results"), "points.csv"));
        Assert.Equal(7, points.Length);
        Assert.StartsWith("services.count,replication,seed,connections_offered,", points[0]);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(Out("results"), "summary.csv")).Length);
        Assert.True(File.Exists(Path.Combine(Out("results"), "run.json")));
        Assert.True(File.Exists(Path.Combine(Out("results"), "setup_latency_p99_us.png")));
        Assert.Contains("small: 6 runs", _out.ToString());
    }

    /// <summary>A study's result folder also holds what headroom and limits wrote for it: a new sweep replaces the result set and keeps those.</summary>
    [Fact]
    public void SweepIntoAStudyFolderKeepsItsHeadroomAndLimitsOutputs()
    {
        string file = _dir.Write("small.yaml", Small);
        Directory.CreateDirectory(Path.Combine(Out("results"), "headroom-aws"));
        Directory.CreateDirectory(Path.Combine(Out("results"), "limits"));
        File.WriteAllText(Path.Combine(Out("results"), "notes.txt"), "mine");

        Assert.Equal(ExitCodes.BadInput, Run("sweep", file, "--out", Out("results")));
        Assert.Contains("notes.txt", _error.ToString());

        File.Delete(Path.Combine(Out("results"), "notes.txt"));
        Assert.Equal(ExitCodes.Ok, Run("sweep", file, "--out", Out("results")));
        Assert.True(Directory.Exists(Path.Combine(Out("results"), "headroom-aws")));
        Assert.True(File.Exists(Path.Combine(Out("results"), "points.csv")));
    }

    [Fact]
    public void RunIgnoresTheSweepAndTakesTheSeed()
    {
        string file = _dir.Write("small.yaml", Small);

        Assert.Equal(ExitCodes.Ok, Run("run", file, "--out", Out("one"), "--seed", "99", "--set", "services.count=7"));

        string[] points = File.ReadAllLines(Path.Combine(Out("one"), "points.csv"));
        Assert.Equal(3, points.Length);
        Assert.StartsWith("replication,seed,", points[0]);
        Assert.Contains("\"seed\": 99", File.ReadAllText(Path.Combine(Out("one"), "run.json")));
        Assert.Contains("\"count\": 7", File.ReadAllText(Path.Combine(Out("one"), "run.json")));
    }

    [Fact]
    public void ShardsFromTheIndexedJobEnvironmentMergeThroughTheCommandLine()
    {
        string file = _dir.Write("small.yaml", Small);
        for (int index = 0; index < 3; index++)
        {
            var environment = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = $"{index}", ["JOB_COMPLETIONS"] = "3" };
            Assert.Equal(ExitCodes.Ok, Run(environment.GetValueOrDefault, "sweep", file, "--out", Out($"shard{index}")));
        }
        Assert.Equal(ExitCodes.Ok, Run("sweep", file, "--out", Out("single")));

        Assert.Equal(ExitCodes.Ok, Run("merge", Out("shard0"), Out("shard1"), Out("shard2"), "--out", Out("merged")));

        foreach (string name in (string[])["points.csv", "summary.csv"])
            Assert.Equal(File.ReadAllText(Path.Combine(Out("single"), name)), File.ReadAllText(Path.Combine(Out("merged"), name)));
        Assert.Equal(RunJson.WithoutWallClock(Out("single")), RunJson.WithoutWallClock(Out("merged")));
        Assert.Equal(6, RunJson.Read(Out("merged"))["timings"]!.AsArray().Count);
    }

    [Fact]
    public void TheModelWritesByteIdenticalTablesWhateverTheJobCountWithNoFlag()
    {
        string file = _dir.Write("tiny.yaml", """
            name: tiny
            duration: 500ms
            warmup: 100ms
            replications: 2
            cluster: { nodes: 2, podsPerNode: 4 }
            services: { count: 5, endpointsPerService: 2 }
            workloads: [{ type: serviceCalls, connectionsPerSecond: 400 }]
            sweep:
              cluster.kubeProxy.mode: [iptables, ipvs]
            """);
        int Sweep(string output, string jobs) => new CliApplication(new ClusterRunner(), ClusterRunner.CreateLoader(),
            ConsoleService.ForWriters(_out, _error), _ => null).Run(["sweep", file, "--jobs", jobs, "--out", Out(output)]);

        Assert.Equal(ExitCodes.Ok, Sweep("one", "1"));
        Assert.Equal(ExitCodes.Ok, Sweep("two", "2"));

        foreach (string name in (string[])["points.csv", "summary.csv"])
        {
            byte[] one = File.ReadAllBytes(Path.Combine(Out("one"), name));
            Assert.True(one.SequenceEqual(File.ReadAllBytes(Path.Combine(Out("two"), name))), $"{name} differs between --jobs 1 and --jobs 2");
        }
        string[] points = File.ReadAllLines(Path.Combine(Out("one"), "points.csv"));
        Assert.Equal(5, points.Length);
        Assert.DoesNotContain("wall", points[0]);
        int offered = points[0].Split(',').ToList().IndexOf("connections_offered");
        Assert.All(points.Skip(1), row => Assert.True(long.Parse(row.Split(',')[offered]) > 0, "a run that measured no connection proves nothing"));
    }

    [Fact]
    public void MergeRefusesToWriteOntoOneOfItsShards()
    {
        string[] shards = SweepInShards(2);
        string shardPoints = File.ReadAllText(Path.Combine(shards[0], "points.csv"));

        Assert.Equal(ExitCodes.BadInput, Run("merge", shards[0], shards[1], "--out", shards[0]));

        Assert.StartsWith("--out: output directory: expected a directory other than the shards being merged", _error.ToString());
        Assert.Equal(shardPoints, File.ReadAllText(Path.Combine(shards[0], "points.csv")));
    }

    [Fact]
    public void MergeRefusesAShardWhoseRowsWereEdited()
    {
        string[] shards = SweepInShards(2);
        string points = Path.Combine(shards[1], "points.csv");
        string[] lines = File.ReadAllLines(points);
        string[] fields = lines[1].Split(',');
        fields[1] = "7";
        lines[1] = string.Join(',', fields);
        File.WriteAllLines(points, lines);

        Assert.Equal(ExitCodes.BadInput, Run("merge", shards[0], shards[1], "--out", Out("merged")));

        Assert.Contains("points.csv:2: expected a run of the sweep (a point's values, a replication below 2 and its seed)", _error.ToString());
        Assert.False(Directory.Exists(Out("merged")));
    }

    [Fact]
    public void ResumeSaysHowManyRunsWereReused()
    {
        string file = _dir.Write("small.yaml", Small);
        Assert.Equal(ExitCodes.Ok, Run("sweep", file, "--out", Out("results")));
        Directory.CreateDirectory(Path.Combine(Out("results"), ".partial"));

        Assert.Equal(ExitCodes.Ok, Run("sweep", file, "--out", Out("results"), "--resume"));

        Assert.Contains("small: 6 runs, ", _out.ToString());
    }

    [Fact]
    public void ASecondResultSetReplacesTheFirstAsAWhole()
    {
        string file = _dir.Write("small.yaml", Small);
        Assert.Equal(ExitCodes.Ok, Run("sweep", file, "--out", Out("results")));
        File.WriteAllText(Path.Combine(Out("results"), "drops_link_buffer.png"), "a stale chart of an earlier study");

        Assert.Equal(ExitCodes.Ok, Run("sweep", file, "--out", Out("results"), "--set", "replications=1"));

        Assert.False(File.Exists(Path.Combine(Out("results"), "drops_link_buffer.png")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Out("results"), "*.tmp", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(Out("results"), ".staging")));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(Out("results"), "points.csv")).Length);
    }

    private string[] SweepInShards(int count)
    {
        string file = _dir.Write("small.yaml", Small);
        string[] shards = [.. Enumerable.Range(0, count).Select(index => Out($"shard{index}"))];
        for (int index = 0; index < count; index++)
            Assert.Equal(ExitCodes.Ok, Run("sweep", file, "--shard", $"{index}/{count}", "--out", shards[index]));
        return shards;
    }

    [Fact]
    public void PlotDrawsAColumnOfAPointsFile()
    {
        string file = _dir.Write("small.yaml", Small);
        Run("sweep", file, "--out", Out("results"));
        string chart = Out("chart.svg");

        Assert.Equal(ExitCodes.Ok, Run("plot", Path.Combine(Out("results"), "points.csv"), "--x", "services.count", "--y", "setup_latency_p99_us", "--out", chart));
        Assert.Contains("<svg", File.ReadAllText(chart));
        Assert.Equal(ExitCodes.BadInput, Run("plot", Path.Combine(Out("results"), "points.csv"), "--x", "nope", "--y", "events"));
    }

    [Fact]
    public void ValidateAndListReportWithoutRunning()
    {
        Assert.Equal(ExitCodes.Ok, Run("validate", "service-scaling"));
        Assert.Equal(ExitCodes.Ok, Run("list"));

        Assert.Contains("service-scaling: valid, 20 points x 3 replications", _out.ToString());
        Assert.Contains("service-scaling (default)", _out.ToString());
        Assert.Contains("nat-gateway-sizing", _out.ToString());
        Assert.Empty(_runner.Seeds);
    }

    [Fact]
    public void AFailingModelExitsWithOne()
    {
        string file = _dir.Write("small.yaml", Small);
        var cli = new CliApplication(new ThrowingRunner(), ClusterRunner.CreateLoader(),
            ConsoleService.ForWriters(_out, _error), _ => null);

        Assert.Equal(ExitCodes.Failure, cli.Run(["run", file, "--out", Out("r")]));
        Assert.Contains("the model broke", _error.ToString());
        Assert.False(Directory.Exists(Out("r")) && Directory.EnumerateFiles(Out("r")).Any());
    }

    /// <summary>A model that fails the way a bug would: not a user mistake, so exit code 1.</summary>
    private sealed class ThrowingRunner : IPointRunner
    {
        public ClusterNetPerf.Sim.Measurement.RunMetrics Run(ScenarioSpec resolved, ulong seed, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the model broke");
    }
}
