using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>The rule for a chart's file name: a .png or .svg file (not a directory), checked before anything is drawn.</summary>
public static class ChartFile
{
    /// <exception cref="ScenarioException">The path is empty, a directory, or not .png or .svg.</exception>
    public static void Check(string option, string path)
    {
        const string expected = "a chart file ending in .png or .svg";
        if (string.IsNullOrWhiteSpace(path)) throw Problem(option, expected, "an empty path");
        if (Directory.Exists(path)) throw Problem(option, expected, $"'{path}', which is a directory");
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
            throw Problem(option, expected, $"'{path}'");
        string? parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null && !Directory.Exists(parent)) throw Problem(option, expected + " in an existing directory", $"'{path}'");
    }

    private static ScenarioException Problem(string option, string expected, string found) =>
        new([new ScenarioProblem(option, "chart file", expected, found)]);
}
