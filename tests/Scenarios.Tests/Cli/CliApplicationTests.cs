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
        new CliApplication(_runner, new ScenarioLoader(_ => true), ConsoleService.ForWriters(_out, _error), environment).Run(args);

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
        Assert.Equal($"{file}:2:19: cluster.nodes: expected an integer at least 1, found 'many'", _error.ToString().Trim());
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
            Assert.Equal(ExitCodes.Ok, Run(environment.GetValueOrDefault, "sweep", file, "--deterministic", "--out", Out($"shard{index}")));
        }
        Assert.Equal(ExitCodes.Ok, Run("sweep", file, "--deterministic", "--out", Out("single")));

        Assert.Equal(ExitCodes.Ok, Run("merge", Out("shard0"), Out("shard1"), Out("shard2"), "--out", Out("merged")));

        foreach (string name in (string[])["points.csv", "summary.csv", "run.json"])
            Assert.Equal(File.ReadAllText(Path.Combine(Out("single"), name)), File.ReadAllText(Path.Combine(Out("merged"), name)));
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
        var cli = new CliApplication(new ThrowingRunner(), new ScenarioLoader(_ => true),
            ConsoleService.ForWriters(_out, _error), _ => null);

        Assert.Equal(ExitCodes.Failure, cli.Run(["run", file, "--out", Out("r")]));
        Assert.Contains("the model broke", _error.ToString());
        Assert.False(Directory.Exists(Out("r")) && Directory.EnumerateFiles(Out("r")).Any());
    }

    /// <summary>A model that fails the way a bug would: not a user mistake, so exit code 1.</summary>
    private sealed class ThrowingRunner : IPointRunner
    {
        public ClusterNetPerf.Sim.Statistics.RunMetrics Run(ScenarioSpec resolved, ulong seed, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the model broke");
    }
}
