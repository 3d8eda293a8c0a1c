using System.Globalization;

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
    public static Shard? FromEnvironment(Func<string, string?> getVariable)
    {
        string? index = getVariable("JOB_COMPLETION_INDEX");
        string? count = getVariable("JOB_COMPLETIONS");
        if (string.IsNullOrEmpty(index) || string.IsNullOrEmpty(count)) return null;
        return TryParse($"{index}/{count}", out Shard shard) ? shard : throw new FormatException(
            $"JOB_COMPLETION_INDEX={index} and JOB_COMPLETIONS={count} do not make a shard I/N with 0 <= I < N");
    }

    /// <summary>Formats as <c>I/N</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
