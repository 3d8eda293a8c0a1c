using System.Globalization;
using System.Text.RegularExpressions;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// Paths into a scenario, as used by <c>--set</c> and sweep axes: keys joined by dots, a list item
/// selected with <c>[index]</c> (e.g. <c>workloads[0].responseSize</c>). Applying a value creates
/// missing mappings on the way; whether the keys exist is then decided by reading the result, so a
/// path is valid exactly when a file could say the same thing.
/// </summary>
internal static partial class ConfigPath
{
    private const string Expected = "a path such as services.count or workloads[0].connectionsPerSecond";

    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z0-9]*)(\[(?<index>[0-9]+)\])?$")]
    private static partial Regex SegmentPattern();

    /// <summary>Sets <paramref name="value"/> at <paramref name="path"/>; false (with a problem) when the path cannot be followed.</summary>
    public static bool TryApply(ConfigMapping root, string path, ConfigNode value, SourceLocation location, ProblemList problems)
    {
        List<(string Key, int? Index)>? segments = Parse(path);
        if (segments is null)
        {
            problems.Add(location, path, Expected, $"'{path}'");
            return false;
        }
        ConfigNode current = root;
        string walked = "";
        for (int i = 0; i < segments.Count; i++)
        {
            (string key, int? index) = segments[i];
            bool last = i == segments.Count - 1;
            string keyPath = walked.Length == 0 ? key : $"{walked}.{key}";
            if (current is not ConfigMapping mapping)
            {
                problems.Add(location, walked, $"a mapping holding '{key}'", current.Describe());
                return false;
            }
            if (last && index is null)
            {
                mapping.Set(new ConfigScalar(key, location), value);
                return true;
            }
            ConfigNode? child = mapping[key];
            if (index is int itemIndex)
            {
                if (child is not ConfigSequence sequence || itemIndex >= sequence.Items.Count)
                {
                    string found = child is ConfigSequence list ? $"{list.Items.Count} items" : child?.Describe() ?? "nothing";
                    problems.Add(location, keyPath, $"a list with an item [{itemIndex}]", found);
                    return false;
                }
                if (last)
                {
                    sequence.Items[itemIndex] = value;
                    return true;
                }
                current = sequence.Items[itemIndex];
                walked = string.Create(CultureInfo.InvariantCulture, $"{keyPath}[{itemIndex}]");
                continue;
            }
            if (child is null)
            {
                child = new ConfigMapping(location);
                mapping.Set(new ConfigScalar(key, location), child);
            }
            current = child;
            walked = keyPath;
        }
        return true;
    }

    /// <summary>
    /// Where the value at <paramref name="path"/> was written: its own location when present, else that of
    /// the nearest enclosing mapping or list that is (a default has no line of its own).
    /// </summary>
    public static SourceLocation Locate(ConfigMapping root, string path)
    {
        ConfigNode current = root;
        foreach ((string key, int? index) in Parse(path) ?? [])
        {
            ConfigNode? child = current is ConfigMapping mapping ? mapping[key] : null;
            if (child is null) break;
            current = child;
            if (index is not int itemIndex) continue;
            if (current is not ConfigSequence sequence || itemIndex >= sequence.Items.Count) break;
            current = sequence.Items[itemIndex];
        }
        return current.Location;
    }

    /// <summary>The first key of a path, or null when the path is malformed.</summary>
    public static string? Root(string path) => Parse(path)?[0].Key;

    private static List<(string Key, int? Index)>? Parse(string path)
    {
        var segments = new List<(string, int?)>();
        foreach (string part in path.Split('.'))
        {
            Match match = SegmentPattern().Match(part);
            if (!match.Success) return null;
            Group index = match.Groups["index"];
            int? itemIndex = null;
            if (index.Success)
            {
                if (!int.TryParse(index.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed)) return null;
                itemIndex = parsed;
            }
            segments.Add((match.Groups["key"].Value, itemIndex));
        }
        return segments;
    }
}
