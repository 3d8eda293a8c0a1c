namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// The rule for a scenario's <c>name</c>, which becomes the folder <c>results/&lt;name&gt;</c>: one safe
/// path segment, so that a name can never write outside <c>results/</c> or collide with a reserved file name.
/// </summary>
internal static class ScenarioName
{
    /// <summary>The longest name: well inside every file system's 255-byte segment limit.</summary>
    public const int MaxLength = 100;

    public const string Expected = "a name of 1 to 100 letters, digits, '-', '_' or '.', not starting with '.' (it names the folder results/<name>)";

    public static bool IsSafe(string text, out string name)
    {
        name = text;
        return text.Length is > 0 and <= MaxLength
            && text[0] != '.'
            && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
    }
}
