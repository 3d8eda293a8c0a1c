using System.Diagnostics;
using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Measurement;

namespace ClusterNetPerf.Scenarios.Running;

/// <summary>
/// Runs a sweep (or one shard of it) on several threads, logging each finished run so an interrupted
/// sweep can resume, then writes the results. Results are put in canonical order whatever order the
/// threads finish in, so the outputs do not depend on <see cref="SweepSettings.Jobs"/>.
/// </summary>
public sealed class SweepRunner(IPointRunner runner, ISweepProgress progress)
{
    /// <summary>Runs what the completion log does not already hold, writes the outputs, and removes the log.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; finished runs stay in the log for <c>--resume</c>.</exception>
    /// <exception cref="ScenarioException">Resuming a log of another scenario or shard.</exception>
    public RunReport Run(ResolvedScenario resolved, SweepSettings settings, CancellationToken cancellationToken)
    {
        Stopwatch wall = Stopwatch.StartNew();
        IReadOnlyList<SweepTask> all = SweepTask.All(resolved);
        List<SweepTask> mine = [.. all.Where(task => settings.Shard.Includes(task.Index))];
        string identity = ScenarioJson.Serialize(resolved.Scenario) + $"\nshard {settings.Shard}\n";

        var results = new CompletedRun?[all.Count];
        int reused;
        using (CompletionLog log = CompletionLog.Open(settings.OutputDirectory, identity, all, settings.Resume))
        {
            foreach ((int index, CompletedRun run) in log.Completed) results[index] = run;
            List<SweepTask> pending = [.. mine.Where(task => results[task.Index] is null)];
            reused = mine.Count - pending.Count;
            progress.Track(mine.Count, mine.Count - pending.Count, finished =>
            {
                var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.Jobs), CancellationToken = cancellationToken };
                Parallel.ForEach(pending, options, task =>
                {
                    CompletedRun run = RunOne(task, cancellationToken);
                    log.Append(task, run);
                    results[task.Index] = run;
                    finished(run.Metrics);
                });
            });
        }

        List<PointResult> rows = [.. mine.Select(task => new PointResult(task.Point.Index, task.Point.Values, task.Replication, task.Seed, results[task.Index]!.Metrics))];
        string[] paths = [.. resolved.Scenario.Sweep.Axes.Select(axis => axis.Path)];
        var counters = new RunCounters(
            rows.Sum(row => row.Metrics.Events),
            wall.Elapsed.TotalSeconds,
            Process.GetCurrentProcess().PeakWorkingSet64,
            [.. mine.Select(task => new RunTiming(SweepPoint.KeyOf(paths, task.Point.Values), task.Replication, results[task.Index]!.WallSeconds))]);
        var report = new RunReport(resolved.Scenario, rows, counters) { ReusedRuns = reused };
        if (settings.Shard.IsWhole) ResultWriter.WriteRun(settings.OutputDirectory, report);
        else ResultWriter.WriteShard(settings.OutputDirectory, report, new ShardManifest(settings.Shard.Index, settings.Shard.Count, all.Count, resolved.Scenario, counters));
        CompletionLog.Delete(settings.OutputDirectory);
        return report;
    }

    private CompletedRun RunOne(SweepTask task, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        RunMetrics metrics = runner.Run(task.Point.Scenario, task.Seed, cancellationToken);
        return new CompletedRun(metrics, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
}
