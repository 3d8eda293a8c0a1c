using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Cli;
using ClusterNetPerf.Scenarios.Tests.Running;
using ClusterNetPerf.Scenarios.Validation;

namespace ClusterNetPerf.Scenarios.Tests.Validation;

/// <summary>
/// The model against published figures (issue 12): every row within its tolerance or marked as a disagreement with its
/// reason, and <c>validate-model</c> writing the same bytes on every run, equal to the committed docs/validation.md and
/// results/validation/validation.csv.
/// </summary>
public sealed class ValidationTableTests : IDisposable
{
    private static readonly Lazy<IReadOnlyList<ValidationRow>> Rows = new(ValidationSuite.Run);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_row_agrees_within_its_tolerance_or_is_an_explained_disagreement()
    {
        Assert.True(Rows.Value.Count >= 15, $"{Rows.Value.Count} rows");
        foreach (ValidationRow row in Rows.Value)
        {
            Assert.NotEqual(ValidationVerdict.Disagrees, row.Verdict);
            Assert.False(string.IsNullOrWhiteSpace(row.Source), row.What);
            if (row.Verdict == ValidationVerdict.Agrees)
                Assert.True(Math.Abs(row.Simulated - row.Published) <= row.Tolerance * Math.Abs(row.Published), row.What);
            else
                Assert.True(row.KnownDisagreement && row.Note.Length > 40, $"{row.What}: a disagreement needs its reason");
        }
    }

    /// <summary>The rows that come from replications carry a real interval that holds the closed form they are checked against.</summary>
    [Fact]
    public void Replicated_rows_carry_an_interval_and_the_closed_forms_fall_inside_it()
    {
        ValidationRow[] replicated = [.. Rows.Value.Where(row => row.HalfWidth > 0)];
        Assert.True(replicated.Length >= 3);
        foreach (ValidationRow row in replicated.Where(row => row.Verdict == ValidationVerdict.Agrees))
            Assert.InRange(row.Published, row.Simulated - 3 * row.HalfWidth, row.Simulated + 3 * row.HalfWidth);
    }

    [Fact]
    public void The_command_writes_identical_bytes_twice_and_matches_the_committed_files()
    {
        (byte[] firstDoc, byte[] firstCsv) = Generate("first");
        (byte[] secondDoc, byte[] secondCsv) = Generate("second");
        Assert.Equal(firstDoc, secondDoc);
        Assert.Equal(firstCsv, secondCsv);

        string root = RepositoryRoot();
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "docs", "validation.md")), firstDoc);
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "results", "validation", "validation.csv")), firstCsv);
    }

    private (byte[] Doc, byte[] Csv) Generate(string name)
    {
        string doc = Path.Combine(_dir.Path, name, "validation.md");
        string csv = Path.Combine(_dir.Path, name, "validation.csv");
        var application = new CliApplication(new FakePointRunner(), ClusterRunner.CreateLoader(),
            ConsoleService.ForWriters(new StringWriter(), new StringWriter()), _ => null);
        Assert.Equal(ExitCodes.Ok, application.Run(["validate-model", "--doc", doc, "--csv", csv]));
        return (File.ReadAllBytes(doc), File.ReadAllBytes(csv));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ClusterNetPerf.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException($"No ClusterNetPerf.sln above {AppContext.BaseDirectory}.");
    }
}
