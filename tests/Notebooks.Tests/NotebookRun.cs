namespace ClusterNetPerf.Notebooks.Tests;

/// <summary>The result of executing one notebook headless with dotnet-repl.</summary>
/// <param name="NotebookPath">The notebook that was run.</param>
/// <param name="ExitCode">dotnet-repl's exit code (it returns non-zero when a cell fails).</param>
/// <param name="ConsoleOutput">dotnet-repl's stdout and stderr, for diagnostics.</param>
/// <param name="ExecutedNotebookPath">Where the executed copy (with outputs) was written; it may be missing if dotnet-repl crashed.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record NotebookRun(string NotebookPath, int ExitCode, string ConsoleOutput, string ExecutedNotebookPath, TimeSpan Elapsed);
