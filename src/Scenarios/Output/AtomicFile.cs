namespace ClusterNetPerf.Scenarios.Output;

/// <summary>Writes a file under a temporary name and renames it into place, so a reader never sees half a result file.</summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<string> writeTo)
    {
        string temporary = path + ".tmp";
        writeTo(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    public static void WriteText(string path, string text) => Write(path, temporary => File.WriteAllText(temporary, text));
}
