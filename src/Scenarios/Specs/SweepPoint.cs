namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>One point of a sweep: its position in canonical order, its axis values as written, and the scenario with them applied.</summary>
/// <param name="Index">Position in canonical order (first axis outermost), from 0.</param>
/// <param name="Values">One value per axis, in axis order.</param>
/// <param name="Key">Canonical key, <c>path=value</c> joined by commas in axis order (empty with no sweep); seeds derive from it.</param>
/// <param name="Scenario">The resolved scenario at this point, with an empty sweep.</param>
public sealed record SweepPoint(int Index, IReadOnlyList<string> Values, string Key, ScenarioSpec Scenario)
{
    /// <summary>The canonical key of the point with <paramref name="values"/> on axes <paramref name="paths"/>: <c>path=value</c> joined by commas.</summary>
    public static string KeyOf(IEnumerable<string> paths, IEnumerable<string> values) =>
        string.Join(",", paths.Zip(values, (path, value) => $"{path}={value}"));
}
