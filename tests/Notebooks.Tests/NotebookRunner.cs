using System.Diagnostics;
using System.Text;

namespace ClusterNetPerf.Notebooks.Tests;

/// <summary>
/// Executes a notebook headless with the repository's local tool dotnet-repl
/// (<c>.config/dotnet-tools.json</c>, brought in by <c>dotnet tool restore</c>), writing the
/// executed copy to a temporary folder, never beside the notebook.
/// </summary>
/// <remarks>
/// The kernel runs in the notebook's own folder by default, as VS Code Polyglot Notebooks and
/// Jupyter do, because <c>#r</c> and file paths in a notebook resolve against the working
/// directory; a test may start it elsewhere, as a user typing <c>dotnet repl</c> would.
/// </remarks>
public static class NotebookRunner
{
    /// <summary>Runs <paramref name="notebookPath"/>; kills the run (and its children) after <paramref name="timeout"/>.</summary>
    /// <param name="workingDirectory">Where the kernel starts; the notebook's folder when null.</param>
    /// <exception cref="TimeoutException">The notebook did not finish in time.</exception>
    public static async Task<NotebookRun> RunAsync(string notebookPath, TimeSpan timeout, string? workingDirectory = null)
    {
        string notebook = Path.GetFullPath(notebookPath);
        string outputDirectory = Directory.CreateTempSubdirectory("clusternetperf-notebook-").FullName;
        string executed = Path.Combine(outputDirectory, Path.GetFileName(notebook));
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(notebook)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
                 {
                     "tool", "run", "dotnet-repl", "--",
                     "--run", notebook, "--exit-after-run",
                     "--output-format", "ipynb", "--output-path", executed,
                 })
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var console = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(console, e.Data);
        process.ErrorDataReceived += (_, e) => Append(console, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{notebook} did not finish in {timeout}. Output so far:\n{Snapshot(console)}");
        }
        process.WaitForExit();
        return new NotebookRun(notebook, process.ExitCode, Snapshot(console), executed, clock.Elapsed);
    }

    private static void Append(StringBuilder console, string? line)
    {
        if (line is null) return;
        lock (console) console.AppendLine(line);
    }

    private static string Snapshot(StringBuilder console)
    {
        lock (console) return console.ToString();
    }
}
