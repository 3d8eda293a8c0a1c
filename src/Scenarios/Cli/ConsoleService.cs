using System.Diagnostics;
using System.Globalization;
using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Sim.Measurement;
using Spectre.Console;

namespace ClusterNetPerf.Scenarios.Cli;

/// <summary>
/// All console output of the program: messages on stdout, errors on stderr, the study table, and the
/// sweep progress bar, which is drawn only on an interactive terminal so CI logs stay quiet.
/// </summary>
public sealed class ConsoleService : ISweepProgress
{
    private readonly IAnsiConsole _out;
    private readonly TextWriter _error;
    private readonly bool _interactive;

    /// <param name="output">Where normal output goes.</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="interactive">Whether output is a terminal a progress bar can be drawn on.</param>
    public ConsoleService(IAnsiConsole output, TextWriter error, bool interactive)
    {
        _out = output;
        _error = error;
        _interactive = interactive;
    }

    /// <summary>The process console: progress only when stdout is an interactive terminal.</summary>
    public static ConsoleService ForProcess()
    {
        // Redirected output is read by scripts: one message, one line, however long.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = int.MaxValue / 2;
        return new(AnsiConsole.Console, Console.Error, !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive);
    }

    /// <summary>A console writing plain text to <paramref name="output"/> and <paramref name="error"/> (tests, embedding).</summary>
    public static ConsoleService ForWriters(TextWriter output, TextWriter error) => new(
        AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        }),
        error,
        interactive: false);

    /// <summary>The writer System.CommandLine prints help and version to.</summary>
    public TextWriter HelpWriter => _out.Profile.Out.Writer;

    public TextWriter ErrorWriter => _error;

    public void Info(string message) => _out.WriteLine(message);

    public void Error(string message) => _error.WriteLine(message);

    /// <summary>A two-column table, e.g. the shipped studies and their descriptions.</summary>
    public void Table(string firstHeader, string secondHeader, IEnumerable<(string First, string Second)> rows)
    {
        var table = new Table().AddColumn(firstHeader).AddColumn(secondHeader);
        foreach ((string first, string second) in rows) table.AddRow(Markup.Escape(first), Markup.Escape(second));
        _out.Write(table);
    }

    /// <summary>A table of any width, e.g. the limits report.</summary>
    public void Grid(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table();
        foreach (string header in headers) table.AddColumn(Markup.Escape(header));
        foreach (IReadOnlyList<string> row in rows) table.AddRow([.. row.Select(Markup.Escape)]);
        _out.Write(table);
    }

    /// <inheritdoc />
    public void Track(int total, int alreadyDone, Action<Action<RunMetrics>> work)
    {
        if (!_interactive)
        {
            work(_ => { });
            return;
        }
        _out.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Describe(alreadyDone, total, 0), maxValue: total);
                task.Value = alreadyDone;
                var gate = new Lock();
                long events = 0;
                int done = alreadyDone;
                Stopwatch clock = Stopwatch.StartNew();
                work(metrics =>
                {
                    lock (gate)
                    {
                        events += metrics.Events;
                        done++;
                        task.Increment(1);
                        task.Description = Describe(done, total, events / Math.Max(clock.Elapsed.TotalSeconds, 1e-3));
                    }
                });
            });
    }

    private static string Describe(int done, int total, double eventsPerSecond) =>
        string.Create(CultureInfo.InvariantCulture, $"{done}/{total} runs, {eventsPerSecond:N0} events/s");
}
