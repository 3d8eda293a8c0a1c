using System.Diagnostics;
using System.Text.Json;
using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Estimates;
using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Tests.Estimates;

/// <summary>The pre-flight estimate against what the shipped studies measured (results/*/run.json), and its speed on absurd input.</summary>
public sealed class RunEstimateTests
{
    private static readonly ScenarioLoader Loader = ClusterRunner.CreateLoader();

    public static TheoryData<string> Studies => [.. StudyCatalog.Names];

    [Theory]
    [MemberData(nameof(Studies))]
    public void The_estimated_events_of_a_shipped_study_are_within_twice_the_measured(string study)
    {
        using JsonDocument measured = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "results", study, "run.json")));
        double events = measured.RootElement.GetProperty("events").GetDouble();

        double estimate = Preflight.Of(Loader.Resolve(study, [])).TotalEvents;

        Assert.InRange(estimate / events, 0.5, 2.0);
    }

    [Theory]
    [InlineData("services.count=1000000000")]
    [InlineData("workloads[0].connectionsPerSecond=1e300")]
    [InlineData("churn.podRestartsPerSecond=1e9")]
    public void Absurd_values_are_estimated_and_refused_in_well_under_a_second(string set)
    {
        Stopwatch clock = Stopwatch.StartNew();

        Preflight preflight = Preflight.Of(Loader.ResolveWithoutSweep("service-scaling", [set]));

        Assert.NotEmpty(preflight.Problems(memoryLimitBytes: 64e9, "test", jobs: 2));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_shipped_study_passes_the_pre_flight_check()
    {
        Assert.Empty(Preflight.Of(Loader.Resolve("service-scaling", [])).Problems(memoryLimitBytes: 4e9, "test", jobs: 2));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ClusterNetPerf.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException($"No ClusterNetPerf.sln above {AppContext.BaseDirectory}.");
    }
}
