using System.Text.Json;
using System.Text.Json.Serialization;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Measurement;

namespace ClusterNetPerf.Scenarios.Running;

/// <summary>
/// The durable record of an unfinished sweep: <c>&lt;out&gt;/.partial/completed.jsonl</c>, one JSON line per
/// finished run, flushed to disk before the next is reported, beside <c>identity.txt</c> (the resolved
/// scenario and shard) so that <c>--resume</c> never mixes runs of different scenarios.
/// </summary>
internal sealed class CompletionLog : IDisposable
{
    private const string LogName = "completed.jsonl";
    private const string IdentityName = "identity.txt";

    /// <summary>Metrics may hold NaN (a percentile of which nothing was measured), which JSON can only carry as a named literal.</summary>
    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly FileStream _stream;
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();

    private CompletionLog(FileStream stream, Dictionary<int, CompletedRun> completed)
    {
        _stream = stream;
        _writer = new StreamWriter(stream) { NewLine = "\n" };
        Completed = completed;
    }

    /// <summary>Runs finished before, by task index.</summary>
    public IReadOnlyDictionary<int, CompletedRun> Completed { get; }

    public static string DirectoryOf(string outputDirectory) => Path.Combine(outputDirectory, ".partial");

    /// <summary>Opens the log; with <paramref name="resume"/> keeps (and returns) what an earlier attempt finished, else starts afresh.</summary>
    /// <exception cref="ScenarioException">Resuming, but the log belongs to another scenario or shard.</exception>
    public static CompletionLog Open(string outputDirectory, string identity, IReadOnlyList<SweepTask> tasks, bool resume)
    {
        string directory = DirectoryOf(outputDirectory);
        string identityPath = Path.Combine(directory, IdentityName);
        string logPath = Path.Combine(directory, LogName);
        var completed = new Dictionary<int, CompletedRun>();
        if (resume && File.Exists(identityPath))
        {
            if (File.ReadAllText(identityPath) != identity)
                throw new ScenarioException([new ScenarioProblem(identityPath, "--resume",
                    "the scenario, overrides and shard of the interrupted sweep", "a different one (rerun without --resume to start afresh)")]);
            if (File.Exists(logPath)) ReadCompleted(logPath, tasks, completed);
        }
        else
        {
            Delete(outputDirectory);
            Directory.CreateDirectory(directory);
            File.WriteAllText(identityPath, identity);
        }
        var stream = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new CompletionLog(stream, completed);
    }

    /// <summary>Records a finished run durably; safe to call from several threads.</summary>
    public void Append(SweepTask task, CompletedRun run)
    {
        string line = JsonSerializer.Serialize(new Entry(task.Index, task.Seed, run.Metrics, run.WallSeconds), JsonOptions);
        lock (_lock)
        {
            _writer.WriteLine(line);
            _writer.Flush();
            _stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Removes the log of a finished sweep.</summary>
    public static void Delete(string outputDirectory)
    {
        string directory = DirectoryOf(outputDirectory);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>Reads finished runs; a torn last line (the process died while writing it) is skipped, that run is redone.</summary>
    private static void ReadCompleted(string logPath, IReadOnlyList<SweepTask> tasks, Dictionary<int, CompletedRun> completed)
    {
        foreach (string line in File.ReadLines(logPath))
        {
            Entry? entry;
            try
            {
                entry = JsonSerializer.Deserialize<Entry>(line, JsonOptions);
            }
            catch (JsonException)
            {
                continue;
            }
            if (entry is not null && entry.Task >= 0 && entry.Task < tasks.Count && tasks[entry.Task].Seed == entry.Seed)
                completed[entry.Task] = new CompletedRun(entry.Metrics, entry.WallSeconds);
        }
    }

    private sealed record Entry(int Task, ulong Seed, RunMetrics Metrics, double WallSeconds);
}
