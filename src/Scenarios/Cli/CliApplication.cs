using System.CommandLine;
using ClusterNetPerf.Scenarios.Estimates;
using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Cli;

/// <summary>
/// The <c>clusternetperf</c> command line. Each command is thin: parse, load the scenario (with its
/// overrides), call Running or Output, report. Bad input exits with <see cref="ExitCodes.BadInput"/>
/// before anything is written.
/// </summary>
/// <param name="runner">Runs one point (the cluster model in production, a fake in tests).</param>
/// <param name="loader">Loads scenarios.</param>
/// <param name="console">All output.</param>
/// <param name="getEnvironmentVariable">Reads the environment (JOB_COMPLETION_INDEX, JOB_COMPLETIONS).</param>
public sealed class CliApplication(IPointRunner runner, ScenarioLoader loader, ConsoleService console, Func<string, string?> getEnvironmentVariable)
{
    /// <summary>Parses <paramref name="args"/> and runs the command; returns an <see cref="ExitCodes"/> value.</summary>
    public int Run(string[] args)
    {
        RootCommand root = BuildCommands();
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors) console.Error($"error: {error.Message}");
            console.Error("Run 'clusternetperf --help' for usage.");
            return ExitCodes.BadInput;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = console.HelpWriter, Error = console.ErrorWriter, EnableDefaultExceptionHandler = false });
    }

    private RootCommand BuildCommands()
    {
        var root = new RootCommand($"ClusterNetPerf: a discrete-event simulator of Kubernetes cluster networking for capacity studies. "
            + $"With no command, sweeps the default study ({StudyCatalog.DefaultStudy}) into results/{StudyCatalog.DefaultStudy}/.");
        root.SetAction(Guarded(token => Sweep(StudyCatalog.DefaultStudy, [], null, new SweepSettings("") { Jobs = Environment.ProcessorCount }, null, Limits.Machine, token)));
        root.Subcommands.Add(RunCommand());
        root.Subcommands.Add(SweepCommand());
        root.Subcommands.Add(MergeCommand());
        root.Subcommands.Add(PlotCommand());
        root.Subcommands.Add(ValidateCommand());
        root.Subcommands.Add(ListCommand());
        root.Subcommands.Add(HeadroomCommand.Create(this, runner, loader, console));
        root.Subcommands.Add(LimitsCommand.Create(this, runner, loader, console));
        root.Subcommands.Add(ValidateModelCommand.Create(this, console));
        return root;
    }

    private Command RunCommand()
    {
        Argument<string> scenario = CliOptions.Scenario();
        Option<string?> output = CliOptions.Out("Output directory (default: results/<scenario name>).");
        Option<ulong?> seed = CliOptions.Seed();
        Option<string[]> set = CliOptions.Set();
        Option<int> jobs = CliOptions.Jobs();
        Option<ByteSize?> maxMemory = CliOptions.MaxMemory();
        Option<bool> force = CliOptions.Force();
        Option<bool> sensitivity = SensitivityRun.Option();
        var command = new Command("run", "Run one point (the scenario without its sweep), all replications.") { scenario, output, seed, set, jobs, maxMemory, force, sensitivity };
        command.SetAction(Guarded((parse, token) =>
        {
            string[] sets = [.. parse.GetValue(set)!, .. parse.GetValue(seed) is ulong s ? [$"seed={s}"] : Array.Empty<string>()];
            if (parse.GetValue(sensitivity))
                return SensitivityRun.Execute(runner, loader, console, parse.GetValue(scenario)!, sets, parse.GetValue(output), parse.GetValue(jobs), token);
            ResolvedScenario resolved = loader.ResolveWithoutSweep(parse.GetValue(scenario)!, sets);
            var settings = new SweepSettings(parse.GetValue(output) ?? DefaultOut(resolved)) { Jobs = parse.GetValue(jobs) };
            return Execute(resolved, settings, new Limits(parse.GetValue(maxMemory), parse.GetValue(force)), token);
        }));
        return command;
    }

    private Command SweepCommand()
    {
        Argument<string> scenario = CliOptions.Scenario();
        Option<string?> output = CliOptions.Out("Output directory (default: results/<scenario name>, or results/<name>/shard-<I> for a shard).");
        Option<int> jobs = CliOptions.Jobs();
        Option<Shard?> shard = CliOptions.ShardOption();
        Option<bool> resume = new("--resume") { Description = "Skip the runs an interrupted sweep into the same directory finished." };
        Option<string[]> set = CliOptions.Set();
        Option<ByteSize?> maxMemory = CliOptions.MaxMemory();
        Option<bool> force = CliOptions.Force();
        var command = new Command("sweep", "Run every point of the scenario's sweep, all replications, in parallel.")
            { scenario, output, jobs, shard, resume, set, maxMemory, force };
        command.SetAction(Guarded((parse, token) => Sweep(parse.GetValue(scenario)!, parse.GetValue(set)!, parse.GetValue(output),
            new SweepSettings("") { Jobs = parse.GetValue(jobs), Resume = parse.GetValue(resume) },
            parse.GetValue(shard), new Limits(parse.GetValue(maxMemory), parse.GetValue(force)), token)));
        return command;
    }

    private Command MergeCommand()
    {
        Argument<string[]> shards = new("shard-dir") { Description = "The output directories of the shards.", Arity = ArgumentArity.OneOrMore };
        Option<string> output = new("--out") { Description = "Output directory for the merged results.", Required = true };
        var command = new Command("merge", "Join the outputs of the shards of one sweep into what one run writes.") { shards, output };
        command.SetAction(Guarded((parse, _) =>
        {
            string directory = parse.GetValue(output)!;
            string[] shardDirectories = parse.GetValue(shards)!;
            ResultDirectory.Check("--out", directory);
            if (shardDirectories.FirstOrDefault(shard => SamePath(shard, directory)) is string own)
                throw new ScenarioException([new ScenarioProblem("--out", "output directory", "a directory other than the shards being merged", $"'{own}'")]);
            RunReport report = ShardMerger.Merge(shardDirectories, directory);
            console.Info($"Merged {report.Results.Count} runs into {directory}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private Command PlotCommand()
    {
        Argument<string> points = new("points.csv") { Description = "A points.csv (or summary-like CSV) to plot." };
        Option<string> x = new("--x") { Description = "Column for the x axis.", Required = true };
        Option<string> y = new("--y") { Description = "Column for the y axis (replications are averaged, with a 95% CI band).", Required = true };
        Option<string?> series = new("--series") { Description = "Column whose values make separate series." };
        Option<string?> output = CliOptions.Out("Chart file, .png or .svg (default: <y>.png beside the CSV).");
        var command = new Command("plot", "Chart one column of a CSV against another.") { points, x, y, series, output };
        command.SetAction(Guarded((parse, _) =>
        {
            string csv = parse.GetValue(points)!;
            if (!File.Exists(csv)) throw new FileNotFoundException($"{csv}: expected an existing CSV file, found none");
            string file = parse.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(csv))!, parse.GetValue(y) + ".png");
            ChartFile.Check("--out", file);
            (Chart chart, int skipped) = ChartWriter.FromTable(CsvTable.Read(csv), csv, parse.GetValue(x)!, parse.GetValue(y)!, parse.GetValue(series));
            chart.Save(file);
            if (skipped > 0) console.Info($"Skipped {skipped} rows with no value in {parse.GetValue(y)} (nothing was measured there)");
            console.Info($"Wrote {file}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private Command ValidateCommand()
    {
        Argument<string> scenario = CliOptions.Scenario();
        Option<string[]> set = CliOptions.Set();
        Option<int> jobs = CliOptions.Jobs();
        Option<ByteSize?> maxMemory = CliOptions.MaxMemory();
        Option<bool> force = CliOptions.Force();
        var command = new Command("validate", "Check a scenario (keys, units, ranges, addresses, sweep) and estimate its cost, without running it.")
            { scenario, set, jobs, maxMemory, force };
        command.SetAction(Guarded((parse, _) =>
        {
            ResolvedScenario resolved = loader.Resolve(parse.GetValue(scenario)!, parse.GetValue(set)!);
            int jobCount = parse.GetValue(jobs);
            if (!PassesPreflight(resolved, jobCount, new Limits(parse.GetValue(maxMemory), parse.GetValue(force)), out Preflight preflight)) return ExitCodes.BadInput;
            console.Info($"{resolved.Scenario.Name}: valid, {resolved.Points.Count} points x {resolved.Scenario.Replications} replications");
            foreach (string line in preflight.Describe(jobCount)) console.Info(line);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private Command ListCommand()
    {
        var command = new Command("list", "List the shipped studies.");
        command.SetAction(Guarded((_, _) =>
        {
            console.Table("Study", "Description", StudyCatalog.Names.Select(name =>
            {
                ScenarioSpec study = loader.Load(name, []);
                return (name == StudyCatalog.DefaultStudy ? $"{name} (default)" : name, study.Description);
            }));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private int Sweep(string scenario, IReadOnlyList<string> sets, string? output, SweepSettings settings, Shard? shard, Limits limits, CancellationToken token)
    {
        Shard slice = shard ?? Shard.FromEnvironment(getEnvironmentVariable) ?? Shard.Whole;
        ResolvedScenario resolved = loader.Resolve(scenario, sets);
        string directory = output ?? (slice.IsWhole ? DefaultOut(resolved) : Path.Combine(DefaultOut(resolved), $"shard-{slice.Index}"));
        return Execute(resolved, settings with { OutputDirectory = directory, Shard = slice }, limits, token);
    }

    /// <summary>Checks the output directory and the pre-flight estimate, then runs; nothing is written unless both pass.</summary>
    private int Execute(ResolvedScenario resolved, SweepSettings settings, Limits limits, CancellationToken token)
    {
        ResultDirectory.Check("--out", settings.OutputDirectory);
        if (!PassesPreflight(resolved, settings.Jobs, limits, out _)) return ExitCodes.BadInput;
        try
        {
            RunReport report = new SweepRunner(runner, console).Run(resolved, settings, token);
            string reused = report.ReusedRuns > 0 ? $" ({report.ReusedRuns} reused from the interrupted sweep)" : "";
            console.Info($"{resolved.Scenario.Name}: {report.Results.Count} runs{reused}, {report.Counters.Events} events, written to {settings.OutputDirectory}");
            LimitsCommand.PrintSummary(console, resolved, report);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            console.Error($"Cancelled. Finished runs are kept in {CompletionLog.DirectoryOf(settings.OutputDirectory)}; rerun with --resume to continue.");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Estimates the sweep; when it is over a limit (and not forced), reports why with the estimate and returns false.</summary>
    private bool PassesPreflight(ResolvedScenario resolved, int jobs, Limits limits, out Preflight preflight)
    {
        preflight = Preflight.Of(resolved);
        (double bytes, string source) = limits.Memory;
        IReadOnlyList<ScenarioProblem> problems = limits.Force ? [] : preflight.Problems(bytes, source, jobs);
        if (problems.Count == 0) return true;
        foreach (ScenarioProblem problem in problems) console.Error(problem.Message);
        foreach (string line in preflight.Describe(jobs)) console.Error(line);
        return false;
    }

    private static string DefaultOut(ResolvedScenario resolved) => Path.Combine("results", resolved.Scenario.Name);

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);

    private Func<ParseResult, CancellationToken, Task<int>> Guarded(Func<CancellationToken, int> action) => Guarded((_, token) => action(token));

    /// <summary>Runs an action off the invocation thread (so Ctrl-C can cancel it) and turns exceptions into exit codes and one-line messages.</summary>
    internal Func<ParseResult, CancellationToken, Task<int>> Guarded(Func<ParseResult, CancellationToken, int> action) => (parse, token) => Task.Run(() =>
    {
        try
        {
            return action(parse, token);
        }
        catch (ScenarioException exception)
        {
            foreach (string message in exception.Messages) console.Error(message);
            return ExitCodes.BadInput;
        }
        catch (Exception exception) when (exception is InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            console.Error(exception.Message);
            return ExitCodes.BadInput;
        }
        catch (Exception exception)
        {
            Exception cause = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
            console.Error($"error: {cause.GetType().Name}: {cause.Message}");
            return ExitCodes.Failure;
        }
    }, CancellationToken.None);
}
