namespace ClusterNetPerf.Benchmarks;

/// <summary>
/// Exponential offsets drawn once in set-up, so every variant of a benchmark replays the same
/// numbers and the random generator's cost is not part of what is measured.
/// </summary>
internal static class ExponentialOffsets
{
    /// <summary>A power-of-two count, so callers can wrap an index with a mask.</summary>
    public const int Count = 1 << 16;
    public const int Mask = Count - 1;

    /// <summary>Offsets of the given mean in whole ns, at least 1.</summary>
    public static long[] Draw(double meanNs, int seed)
    {
        var random = new Random(seed);
        var offsets = new long[Count];
        for (int i = 0; i < offsets.Length; i++) offsets[i] = 1 + (long)(-Math.Log(1 - random.NextDouble()) * meanNs);
        return offsets;
    }
}
