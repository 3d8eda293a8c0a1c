namespace ClusterNetPerf.Scenarios.Output;

/// <summary>
/// Writes a file under a temporary name and renames it into place, so a reader never sees half a result
/// file; the temporary file is removed on every path, failures included.
/// </summary>
internal static class AtomicFile
{
    /// <summary>The suffix of temporary files, which a failed write never leaves behind.</summary>
    public const string TemporarySuffix = ".tmp";

    public static void Write(string path, Action<string> writeTo)
    {
        string temporary = path + TemporarySuffix;
        try
        {
            writeTo(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static void WriteText(string path, string text) => Write(path, temporary => File.WriteAllText(temporary, text));
}
