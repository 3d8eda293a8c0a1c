using Xunit.Abstractions;

namespace ClusterNetPerf.Notebooks.Tests;

/// <summary>Executes every shipped notebook and fails if any cell failed or a notebook drew no chart.</summary>
[Collection(NotebookCollection.Name)]
public sealed class NotebookTests(ITestOutputHelper output)
{
    /// <summary>Generous: the first run restores NuGet packages inside the kernel.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static TheoryData<string> Notebooks() => new(NotebookNames());

    private static string[] NotebookNames() =>
        Directory.EnumerateFiles(RepositoryLayout.NotebooksDirectory, "*.ipynb")
            .Select(path => Path.GetFileName(path))
            .Order(StringComparer.Ordinal)
            .ToArray();

    [Fact]
    public void The_three_notebooks_are_shipped()
    {
        Assert.Equal(["01-getting-started.ipynb", "02-service-scaling.ipynb", "03-capacity-planning.ipynb"], NotebookNames());
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_is_committed_without_outputs(string name)
    {
        ExecutedNotebook notebook = ExecutedNotebook.Load(Path.Combine(RepositoryLayout.NotebooksDirectory, name));
        string text = File.ReadAllText(Path.Combine(RepositoryLayout.NotebooksDirectory, name));
        Assert.True(notebook.CodeCells > 0);
        Assert.Equal(0, notebook.Charts);
        Assert.DoesNotContain("\"output_type\"", text);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_without_errors_and_draws_charts(string name)
    {
        NotebookRun run = await NotebookRunner.RunAsync(Path.Combine(RepositoryLayout.NotebooksDirectory, name), Timeout);
        output.WriteLine($"{name}: exit code {run.ExitCode} in {run.Elapsed.TotalSeconds:F1} s; executed copy {run.ExecutedNotebookPath}");

        Assert.True(File.Exists(run.ExecutedNotebookPath), $"dotnet-repl wrote no executed notebook:\n{run.ConsoleOutput}");
        ExecutedNotebook executed = ExecutedNotebook.Load(run.ExecutedNotebookPath);
        output.WriteLine($"{executed.CodeCells} code cells, {executed.Charts} charts");
        Assert.True(executed.Failures.Count == 0, $"{name} has failed cells:\n{string.Join("\n", executed.Failures)}");
        Assert.True(run.ExitCode == 0, $"dotnet-repl exited with {run.ExitCode}:\n{run.ConsoleOutput}");
        Assert.True(executed.Charts > 0, $"{name} drew no chart.");
    }
}
