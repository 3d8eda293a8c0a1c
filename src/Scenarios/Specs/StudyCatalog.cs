using System.Reflection;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The studies shipped inside the program (embedded from <c>Studies/*.yaml</c> as <c>Studies.&lt;file&gt;</c>).</summary>
public static class StudyCatalog
{
    private const string Prefix = "Studies.";
    private const string Suffix = ".yaml";

    /// <summary>The study <c>clusternetperf</c> runs with no arguments.</summary>
    public const string DefaultStudy = "service-scaling";

    private static readonly Assembly Assembly = typeof(StudyCatalog).Assembly;

    /// <summary>The shipped studies' names, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        .. Assembly.GetManifestResourceNames()
            .Where(resource => resource.StartsWith(Prefix, StringComparison.Ordinal) && resource.EndsWith(Suffix, StringComparison.Ordinal))
            .Select(resource => resource[Prefix.Length..^Suffix.Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The YAML text of study <paramref name="name"/>, or null when there is no such study.</summary>
    public static string? TryGetText(string name)
    {
        using Stream? stream = Assembly.GetManifestResourceStream(Prefix + name + Suffix);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
