using ClusterNetPerf.Scenarios.Capacity;
using ClusterNetPerf.Scenarios.Cli;
using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Scenarios.Tests.Running;

namespace ClusterNetPerf.Scenarios.Tests.Capacity;

public sealed class LimitsReportTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _dir.Dispose();

    private int Run(params string[] args) =>
        new CliApplication(new FakePointRunner(), new ScenarioLoader(_ => true, _ => []), ConsoleService.ForWriters(_out, _error), _ => null).Run(args);

    // The fake reports conntrack_entries_peak = 10,000 + services.count: 10,050 of a 10,100-entry table.
    private const string TightConntrack = """
        name: tight
        replications: 2
        cluster: { conntrack: { max: 10100 } }
        services: { count: 50 }
        workloads: [{ type: serviceCalls, connectionsPerSecond: 10 }]
        sweep:
          services.count: [10, 50]
        """;

    [Fact]
    public void A_deliberately_tight_conntrack_table_is_ranked_first()
    {
        string file = _dir.Write("tight.yaml", TightConntrack);

        Assert.Equal(ExitCodes.Ok, Run("limits", file, "--out", _dir.Path));

        CsvTable table = CsvTable.Read(Path.Combine(_dir.Path, "limits.csv"));
        Assert.Equal(LimitsReport.Header, table.Header);
        Assert.Equal("conntrack entries per node", table.Rows[0][0]);
        Assert.Equal("10050", table.Rows[0][2]);
        Assert.Equal(1 - 10_050 / 10_100.0, double.Parse(table.Rows[0][5], System.Globalization.CultureInfo.InvariantCulture), 12);
        double[] headrooms = [.. table.Rows.Select(row => double.Parse(row[5], System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(headrooms.Order(), headrooms);
    }

    [Fact]
    public void A_sweep_closes_with_the_three_resources_closest_to_their_limit_and_the_point_that_came_closest()
    {
        string file = _dir.Write("tight.yaml", TightConntrack);

        Assert.Equal(ExitCodes.Ok, Run("sweep", file, "--out", Path.Combine(_dir.Path, "results")));

        string output = _out.ToString();
        int at = output.IndexOf("Closest to a limit", StringComparison.Ordinal);
        Assert.True(at >= 0, output);
        // The console wraps long lines: read the summary with its whitespace collapsed.
        string summary = System.Text.RegularExpressions.Regex.Replace(output[at..], @"\s+", " ");
        Assert.StartsWith("Closest to a limit (clusternetperf limits for all): conntrack entries per node: 10,050 of 10,100, headroom 0.5 % at services.count=50 ", summary);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(summary, ", headroom ").Count);
    }

    [Fact]
    public void Probes_whose_metric_this_build_does_not_measure_are_left_out()
    {
        var probe = new ResourceProbe("imaginary map", ["ebpf_imaginary_map_entries_peak"], _ => 1, "its size");
        Assert.Null(probe.Metric);
        Assert.All(LimitsReport.Probes.Where(p => p.Metric is not null), p => Assert.True(MetricCatalog.Contains(p.Metric!)));
    }
}
