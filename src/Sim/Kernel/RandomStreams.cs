using System.Text;
using MathNet.Numerics.Random;

namespace ClusterNetPerf.Sim.Kernel;

/// <summary>
/// Independent, reproducible random streams derived from one master seed: each model
/// component asks for its own stream by name, so adding a component (or a draw in one)
/// never shifts the numbers another component sees.
/// </summary>
/// <remarks>
/// A stream's seed is SplitMix64 over (master seed, FNV-1a hash of the name). The generator is
/// MathNet's xoshiro256** (fast, 2^256 period, passes BigCrush), not thread-safe by design:
/// a stream belongs to one run on one thread.
/// </remarks>
public sealed class RandomStreams
{
    private readonly Dictionary<string, System.Random> _streams = new(StringComparer.Ordinal);

    public RandomStreams(ulong masterSeed)
    {
        MasterSeed = masterSeed;
    }

    /// <summary>The seed every stream derives from.</summary>
    public ulong MasterSeed { get; }

    /// <summary>
    /// The stream named <paramref name="name"/>; the same name always returns the same stream
    /// object within a run, and the same sequence across runs with the same master seed.
    /// </summary>
    public System.Random Stream(string name)
    {
        if (!_streams.TryGetValue(name, out System.Random? stream))
        {
            stream = new Xoshiro256StarStar(DeriveSeed(MasterSeed, name), threadSafe: false);
            _streams.Add(name, stream);
        }
        return stream;
    }

    /// <summary>The 32-bit seed of a named stream (MathNet's generators take an int seed).</summary>
    public static int DeriveSeed(ulong masterSeed, string name)
    {
        ulong mixed = SplitMix64(masterSeed ^ SplitMix64(Fnv1a(name)));
        return (int)(mixed ^ (mixed >> 32));
    }

    /// <summary>Derives a child master seed, e.g. for one sweep point and replication.</summary>
    public static ulong DeriveMasterSeed(ulong masterSeed, string path) => SplitMix64(masterSeed ^ SplitMix64(Fnv1a(path)));

    private static ulong Fnv1a(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    /// <summary>
    /// A well-mixed 64-bit hash of <paramref name="value"/> (SplitMix64's finaliser): for
    /// choices that must be arbitrary yet fixed, such as where a rule sits in a node's chain.
    /// </summary>
    public static ulong Hash(ulong value) => SplitMix64(value);

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
