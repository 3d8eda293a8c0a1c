using System.Globalization;
using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Running;

/// <summary>
/// A slice of a sweep: shard <see cref="Index"/> of <see cref="Count"/> runs every <see cref="Count"/>-th
/// task in canonical order, starting at <see cref="Index"/>. Interleaving (not blocks) spreads the costly
/// points of a sweep evenly over the shards.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole sweep as one shard.</summary>
    public static readonly Shard Whole = new(0, 1);

    public bool IsWhole => Count == 1;

    public bool Includes(int taskIndex) => taskIndex % Count == Index;

    /// <summary>Parses <c>I/N</c> with 0 ≤ I &lt; N.</summary>
    public static bool TryParse(string? text, out Shard shard)
    {
        shard = Whole;
        string[] parts = (text ?? "").Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            || count < 1 || index >= count)
            return false;
        shard = new Shard(index, count);
        return true;
    }

    /// <summary>
    /// The shard of a Kubernetes Indexed Job pod: <c>JOB_COMPLETION_INDEX</c> of <c>JOB_COMPLETIONS</c>
    /// (set the latter from the Job's completions); null when either is unset.
    /// </summary>
    /// <exception cref="ScenarioException">The variables are set but do not make a shard.</exception>
    public static Shard? FromEnvironment(Func<string, string?> getVariable)
    {
        string? index = getVariable("JOB_COMPLETION_INDEX");
        string? count = getVariable("JOB_COMPLETIONS");
        if (string.IsNullOrEmpty(index) || string.IsNullOrEmpty(count)) return null;
        return TryParse($"{index}/{count}", out Shard shard) ? shard : throw new ScenarioException([new ScenarioProblem("environment",
            "JOB_COMPLETION_INDEX and JOB_COMPLETIONS", "integers I and N with 0 <= I < N", $"'{index}' and '{count}'")]);
    }

    /// <summary>Formats as <c>I/N</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
