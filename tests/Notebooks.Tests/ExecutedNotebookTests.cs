namespace ClusterNetPerf.Notebooks.Tests;

/// <summary>The checker itself: it must see a failing cell, and must tell a chart from other HTML.</summary>
[Collection(NotebookCollection.Name)]
public sealed class ExecutedNotebookTests
{
    [Fact]
    public async Task A_notebook_with_a_throwing_cell_is_reported_as_failed()
    {
        NotebookRun run = await NotebookRunner.RunAsync(Path.Combine(RepositoryLayout.FixturesDirectory, "failing.ipynb"), TimeSpan.FromMinutes(2));

        ExecutedNotebook executed = ExecutedNotebook.Load(run.ExecutedNotebookPath);
        string failure = Assert.Single(executed.Failures);
        Assert.StartsWith("cell 3: ", failure);
        Assert.Contains("This cell fails on purpose.", failure);
        Assert.NotEqual(0, run.ExitCode);
    }

    [Fact]
    public async Task A_notebook_started_from_the_repository_root_finds_the_library()
    {
        NotebookRun run = await NotebookRunner.RunAsync(Path.Combine(RepositoryLayout.NotebooksDirectory, "01-getting-started.ipynb"),
            TimeSpan.FromMinutes(5), workingDirectory: RepositoryLayout.Root);

        ExecutedNotebook executed = ExecutedNotebook.Load(run.ExecutedNotebookPath);
        Assert.Empty(executed.Failures);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void An_error_output_is_a_failure()
    {
        ExecutedNotebook notebook = ExecutedNotebook.Parse(Notebook(
            """{ "output_type": "error", "ename": "Error", "evalue": "(1,1): error CS0103: The name 'x' does not exist", "traceback": [] }"""));

        Assert.Equal(["cell 1: Error: (1,1): error CS0103: The name 'x' does not exist"], notebook.Failures);
    }

    [Fact]
    public void An_exception_on_stderr_is_a_failure_but_other_streams_are_not()
    {
        ExecutedNotebook notebook = ExecutedNotebook.Parse(Notebook(
            """{ "output_type": "stream", "name": "stderr", "text": ["Unhandled exception. System.IO.IOException: disk full\n"] }""",
            """{ "output_type": "stream", "name": "stderr", "text": "a warning\n" }""",
            """{ "output_type": "stream", "name": "stdout", "text": "we discuss exceptions here\n" }"""));

        Assert.Single(notebook.Failures);
    }

    [Fact]
    public void Png_data_and_html_images_count_as_charts_but_other_html_does_not()
    {
        string payload = new('A', 200);
        ExecutedNotebook notebook = ExecutedNotebook.Parse(Notebook(
            $$"""{ "output_type": "display_data", "data": { "image/png": "{{payload}}" }, "metadata": {} }""",
            $$"""{ "output_type": "display_data", "data": { "text/html": ["<img src='data:image/png;base64,{{payload}}'/>"] }, "metadata": {} }""",
            """{ "output_type": "display_data", "data": { "text/html": ["<img src='logo.svg'/>"] }, "metadata": {} }""",
            """{ "output_type": "execute_result", "data": { "text/plain": ["42"] }, "metadata": {}, "execution_count": 1 }"""));

        Assert.Equal(2, notebook.Charts);
        Assert.Empty(notebook.Failures);
    }

    private static string Notebook(params string[] outputs) =>
        $$"""{ "cells": [ { "cell_type": "code", "source": ["1"], "metadata": {}, "outputs": [ {{string.Join(", ", outputs)}} ] } ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5 }""";
}
