using ClusterNetPerf.Scenarios.Capacity;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Scenarios.Tests.Running;

namespace ClusterNetPerf.Scenarios.Tests.Capacity;

public sealed class HeadroomSearchTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ScenarioLoader _loader = new(_ => true, _ => []);

    public void Dispose() => _dir.Dispose();

    private const string LossScenario = """
        name: loss
        duration: 3000s
        warmup: 20s
        replications: 4
        workloads: [{ type: egress, connectionsPerSecond: 1 }]
        """;

    private const string ServiceScenario = """
        name: services
        replications: 2
        workloads: [{ type: serviceCalls, connectionsPerSecond: 10 }]
        """;

    private Func<string, ScenarioSpec> At(string yaml, string axis) =>
        value => _loader.ResolveText(yaml, "test.yaml", [$"{axis}={value}"]).Scenario;

    [Fact]
    public void Finds_the_largest_rate_with_blocking_under_one_percent_of_an_Erlang_B_port_pool_within_one_step()
    {
        const double resolution = 0.5;
        double analytic = ErlangLossRunner.ErlangsAtBlocking(0.01) / ErlangLossRunner.HoldSeconds;
        var settings = new HeadroomSettings("workloads[0].connectionsPerSecond", [Slo.Parse("connections_failed_fraction<0.01")], new AxisRange(4, 20, resolution))
        {
            Replications = 4,
            MaxReplications = 8,
            Jobs = 2,
        };

        HeadroomResult result = new HeadroomSearch(new ErlangLossRunner(), null, At(LossScenario, settings.Axis)).Run(settings, CancellationToken.None);

        // The grid's exact answer is its largest value under the analytic threshold; the search, which passes a
        // point only when the interval's upper end is under 1 %, may stop one step below it, never above.
        double gridAnswer = 4 + Math.Floor((analytic - 4) / resolution) * resolution;
        double answer = settings.Range.ValueAt(result.Answer!.Index);
        Assert.True(answer <= gridAnswer && answer >= gridAnswer - resolution,
            $"answer {answer}/s, grid answer {gridAnswer}/s from Erlang B {analytic:F3}/s (c = {ErlangLossRunner.Ports})");
        Assert.Equal(result.Answer.Index + 1, result.FirstFailure!.Index);
        Assert.Equal("connections_failed_fraction", result.Binding.Metric);
    }

    [Fact]
    public void A_second_search_with_a_wider_range_runs_only_the_points_the_first_did_not()
    {
        var runner = new FakePointRunner();
        var cache = new RunCache(Path.Combine(_dir.Path, "cache"));
        Slo slo = Slo.Parse("setup_latency_p99_us<400");   // the fake: 100 + 0.5 × services + noise; breaks past 599
        HeadroomSettings Settings(double high) => new("services.count", [slo], new AxisRange(0, high, 10)) { Replications = 2, MaxReplications = 2, Jobs = 2 };

        HeadroomResult narrow = new HeadroomSearch(runner, cache, At(ServiceScenario, "services.count")).Run(Settings(300), CancellationToken.None);
        HeadroomResult wide = new HeadroomSearch(runner, cache, At(ServiceScenario, "services.count")).Run(Settings(2000), CancellationToken.None);

        Assert.Equal("300", narrow.Answer!.Value);
        Assert.Null(narrow.FirstFailure);
        Assert.Equal("590", wide.Answer!.Value);
        HashSet<string> before = [.. narrow.Points.Select(point => point.Value)];
        int newPoints = wide.Points.Count(point => !before.Contains(point.Value));
        Assert.Equal(2 * newPoints, wide.Runs);
        Assert.All(wide.Points.Where(point => before.Contains(point.Value)), point => Assert.Equal(2, point.Cached));
        Assert.Equal(narrow.Runs + wide.Runs, runner.Seeds.Count);
    }

    [Fact]
    public void A_point_whose_interval_straddles_the_slo_gets_more_replications_and_fails_if_still_undecided()
    {
        // The fake's noise spreads setup_latency_p99_us over about 0.33 us around 100 + 0.5 × services:
        // at 20 services the mean sits on 110.2, so the interval straddles 110.2 whatever the replications.
        var settings = new HeadroomSettings("services.count", [Slo.Parse("setup_latency_p99_us<110.2")], new AxisRange(0, 40, 20)) { Replications = 2, MaxReplications = 8, Jobs = 1 };

        HeadroomResult result = new HeadroomSearch(new FakePointRunner(), null, At(ServiceScenario, settings.Axis)).Run(settings, CancellationToken.None);

        HeadroomPoint straddling = result.Points.Single(point => point.Value == "20");
        Assert.Equal(8, straddling.Replications);
        Assert.False(straddling.Passes);
        Assert.Equal("0", result.Answer!.Value);
        Assert.Equal(2, result.Points.Single(point => point.Value == "0").Replications);
    }

    [Theory]
    [InlineData("setup_latency_p99_us", "expected METRIC<VALUE")]
    [InlineData("setup_latency_p99_us<fast", "expected METRIC<VALUE")]
    [InlineData("<5", "expected METRIC<VALUE")]
    [InlineData("setup_latency_p42_us<5", "'setup_latency_p42_us' is not a metric")]
    public void Bad_slos_are_rejected_with_what_was_expected(string text, string message)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Slo.Parse(text));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10..5")]
    [InlineData("10..10")]
    [InlineData("ten..20")]
    [InlineData("10-20")]
    public void Empty_or_malformed_ranges_are_rejected(string text) =>
        Assert.Throws<ArgumentException>(() => AxisRange.Parse(text, null));

    [Fact]
    public void The_grid_ends_on_the_high_end_and_stays_integral_for_counts()
    {
        AxisRange range = AxisRange.Parse("100..1050", 100);
        Assert.Equal(10, range.LastIndex);
        Assert.Equal("1000", range.TextAt(9));
        Assert.Equal("1050", range.TextAt(10));
        Assert.Equal(10, AxisRange.Parse("0..1000", null).Resolution);
    }
}
