using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>
/// An output directory holds one result set. It is checked before any run starts (so a bad <c>--out</c>
/// costs nothing), and a new result set replaces the previous one as a whole: the files are written into
/// a staging folder, the earlier set's files (and only those: the names this program writes) are removed,
/// and the new files are moved in. Staging is removed on every path.
/// </summary>
public static class ResultDirectory
{
    private const string StagingName = ".staging";

    /// <summary>The names of the files a result set may hold: what this program writes, nothing else.</summary>
    private static readonly HashSet<string> ResultFileNames =
    [
        PointsCsv.FileName, SummaryCsv.FileName, RunDocument.FileName, ShardManifest.FileName,
        .. MetricColumns.Names.SelectMany(metric => (string[])[metric + ".png", metric + ".svg"]),
    ];

    /// <summary>
    /// Whether <paramref name="name"/> is a folder that <c>headroom</c> or <c>limits</c> writes beside a study's
    /// result set (their defaults are <c>results/&lt;study&gt;/headroom</c> and <c>…/limits</c>).
    /// </summary>
    private static bool IsCapacityFolder(string directory, string name) =>
        (name.StartsWith("headroom", StringComparison.Ordinal) || name == "limits") && Directory.Exists(Path.Combine(directory, name));

    /// <summary>Checks that <paramref name="directory"/> can take a result set, before anything runs.</summary>
    /// <param name="option">How the directory was given, for the message (e.g. <c>--out</c>).</param>
    /// <param name="directory">The directory.</param>
    /// <exception cref="ScenarioException">The path is empty or malformed, is a file, or is a directory holding files that are not a result set.</exception>
    public static void Check(string option, string directory)
    {
        const string expected = "a new or empty directory, or one holding an earlier result set";
        if (string.IsNullOrWhiteSpace(directory)) throw Problem(option, expected, "an empty path");
        try
        {
            Path.GetFullPath(directory);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Problem(option, expected, $"'{directory}', which is not a valid path");
        }
        if (File.Exists(directory)) throw Problem(option, expected, $"'{directory}', which is a file");
        if (!Directory.Exists(directory)) return;
        string? stranger = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName)
            .FirstOrDefault(name => name is not null && !ResultFileNames.Contains(name) && !name.StartsWith('.') && !IsCapacityFolder(directory, name));
        if (stranger is not null) throw Problem(option, expected, $"'{directory}', which holds '{stranger}'");
    }

    /// <summary>Writes a result set with <paramref name="write"/> (given the folder to write into) and puts it in place of the previous one.</summary>
    public static void Replace(string directory, Action<string> write)
    {
        string staging = Path.Combine(directory, StagingName);
        try
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            Directory.CreateDirectory(staging);
            write(staging);
            foreach (string stale in Directory.EnumerateFiles(directory).Where(file => ResultFileNames.Contains(Path.GetFileName(file))))
                File.Delete(stale);
            foreach (string file in Directory.EnumerateFiles(staging))
                File.Move(file, Path.Combine(directory, Path.GetFileName(file)));
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static ScenarioException Problem(string option, string expected, string found) =>
        new([new ScenarioProblem(option, "output directory", expected, found)]);
}
