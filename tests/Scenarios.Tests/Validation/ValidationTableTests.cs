using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Cli;
using ClusterNetPerf.Scenarios.Tests.Running;
using ClusterNetPerf.Scenarios.Validation;

namespace ClusterNetPerf.Scenarios.Tests.Validation;

/// <summary>
/// The model against published figures (issue 12): every row within its tolerance or marked as a disagreement with its
/// reason, every row linked to a chart the command writes, and <c>validate-model</c> writing the same bytes as an
/// independent run of the suite, equal to the committed docs/validation.md and results/validation/validation.csv.
/// </summary>
public sealed class ValidationTableTests : IDisposable
{
    internal static readonly Lazy<ValidationResult> Result = new(ValidationSuite.Run);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_row_agrees_within_its_tolerance_or_is_an_explained_disagreement()
    {
        IReadOnlyList<ValidationRow> rows = Result.Value.Rows;
        Assert.True(rows.Count >= 15, $"{rows.Count} rows");
        foreach (ValidationRow row in rows)
        {
            Assert.NotEqual(ValidationVerdict.Disagrees, row.Verdict);
            Assert.False(string.IsNullOrWhiteSpace(row.Source), row.What);
            if (row.Verdict == ValidationVerdict.Agrees)
            {
                Assert.True(row.UpperBound
                    ? row.Simulated + row.HalfWidth <= row.Published
                    : Math.Abs(row.Simulated - row.Published) <= row.Tolerance * Math.Abs(row.Published), row.What);
            }
            else
            {
                Assert.True(row.KnownDisagreement && row.Note.Length > 40, $"{row.What}: a disagreement needs its reason");
            }
        }
    }

    /// <summary>The rows that come from replications carry a real interval that holds the closed form they are checked against.</summary>
    [Fact]
    public void Replicated_rows_carry_an_interval_and_the_closed_forms_fall_inside_it()
    {
        ValidationRow[] replicated = [.. Result.Value.Rows.Where(row => row.HalfWidth > 0)];
        Assert.True(replicated.Length >= 3);
        foreach (ValidationRow row in replicated.Where(row => row.Verdict == ValidationVerdict.Agrees && row.Source.Contains("closed form", StringComparison.Ordinal)))
            Assert.InRange(row.Published, row.Simulated - 3 * row.HalfWidth, row.Simulated + 3 * row.HalfWidth);
    }

    [Fact]
    public void Every_row_links_a_chart_and_every_chart_shows_rows()
    {
        ValidationResult result = Result.Value;
        string[] names = [.. result.Charts.Select(chart => chart.Name)];
        Assert.Equal(names.Length, names.Distinct().Count());
        foreach (ValidationRow row in result.Rows) Assert.Contains(row.Chart, names);
        foreach (ValidationChart chart in result.Charts)
        {
            Assert.Contains(result.Rows, row => row.Chart == chart.Name);
            Assert.True(chart.Chart.Markers.Count > 0 || chart.Chart.Reference is not null, $"{chart.Name}: the published figure is drawn");
            Assert.All(chart.Chart.Series, series => Assert.NotEmpty(series.Points));
        }
    }

    [Fact]
    public void The_command_writes_what_an_independent_run_gives_and_matches_the_committed_files()
    {
        string doc = Path.Combine(_dir.Path, "validation.md");
        string csv = Path.Combine(_dir.Path, "validation.csv");
        string charts = Path.Combine(_dir.Path, "charts");
        var application = new CliApplication(new FakePointRunner(), ClusterRunner.CreateLoader(),
            ConsoleService.ForWriters(new StringWriter(), new StringWriter()), _ => null);
        Assert.Equal(ExitCodes.Ok, application.Run(["validate-model", "--doc", doc, "--csv", csv, "--charts", charts]));

        // The command ran the suite again: the same seeds give the same bytes.
        Assert.Equal(ValidationReport.Markdown(Result.Value.Rows), File.ReadAllText(doc));
        string root = RepositoryRoot();
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "docs", "validation.md")), File.ReadAllBytes(doc));
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "results", "validation", "validation.csv")), File.ReadAllBytes(csv));
        // Chart bytes depend on the fonts of the machine, so only their presence is checked (here and in the repository).
        foreach (ValidationChart chart in Result.Value.Charts)
        {
            foreach (string extension in new[] { ".png", ".svg" })
            {
                Assert.True(new FileInfo(Path.Combine(charts, chart.Name + extension)).Length > 1_000, chart.Name + extension);
                Assert.True(File.Exists(Path.Combine(root, "results", "validation", chart.Name + extension)), chart.Name + extension);
            }
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ClusterNetPerf.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException($"No ClusterNetPerf.sln above {AppContext.BaseDirectory}.");
    }
}
