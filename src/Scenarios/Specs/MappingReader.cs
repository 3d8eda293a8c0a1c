using System.Globalization;
using System.Numerics;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// Reads the keys of one mapping into typed values, falling back to the default when a key is absent
/// and reporting (not throwing) when a value is wrong, so one pass finds every problem.
/// <see cref="Finish"/> reports the keys nobody asked for: unknown keys are errors.
/// </summary>
internal sealed class MappingReader
{
    /// <summary>A scalar parser: true with the value, or false.</summary>
    public delegate bool Parser<T>(string text, out T value);

    private const string DurationText = "a duration with a unit (ns, us, ms, s, m, h), e.g. 250us";
    private const string SizeText = "a size with a unit (B, KB, KiB, MB, MiB, GB, GiB), e.g. 16KiB";

    private readonly ConfigMapping? _mapping;
    private readonly HashSet<string> _asked = [];

    private MappingReader(ConfigMapping? mapping, SourceLocation location, string path, ProblemList problems)
    {
        _mapping = mapping;
        Location = location;
        Path = path;
        Problems = problems;
    }

    /// <summary>The mapping's location, or its parent's when the mapping is absent.</summary>
    public SourceLocation Location { get; }
    public string Path { get; }
    public ProblemList Problems { get; }

    /// <summary>A reader over <paramref name="node"/>; an absent node reads as all defaults, a non-mapping is reported.</summary>
    public static MappingReader Open(ConfigNode? node, SourceLocation fallback, string path, ProblemList problems)
    {
        if (node is null or ConfigMapping) return new MappingReader((ConfigMapping?)node, node?.Location ?? fallback, path, problems);
        problems.Add(node.Location, path, "a mapping", node.Describe());
        return new MappingReader(null, node.Location, path, problems);
    }

    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>Where <paramref name="key"/>'s value is, or this mapping's location when it is absent.</summary>
    public SourceLocation LocationOf(string key) => _mapping?[key]?.Location ?? Location;

    public bool Has(string key) => _mapping?[key] is not null;

    /// <summary>The raw node of <paramref name="key"/>, marking the key as known.</summary>
    public ConfigNode? Take(string key)
    {
        _asked.Add(key);
        return _mapping?[key];
    }

    /// <summary>Every entry, marking all keys as known (for maps keyed by name, such as costs).</summary>
    public IReadOnlyList<(ConfigScalar Key, ConfigNode Value)> TakeAll()
    {
        IReadOnlyList<(ConfigScalar, ConfigNode)> entries = _mapping?.Entries ?? [];
        foreach ((ConfigScalar key, _) in entries) _asked.Add(key.Value);
        return entries;
    }

    /// <summary>Reads <paramref name="key"/> with <paramref name="read"/> when present; null (and the key known) when absent.</summary>
    public T? Optional<T>(string key, Func<string, T> read) where T : struct
    {
        if (Has(key)) return read(key);
        _asked.Add(key);
        return null;
    }

    public void Report(string key, string expected, string found) => Problems.Add(LocationOf(key), PathOf(key), expected, found);

    /// <summary>Reads a nested mapping with <paramref name="read"/>, then reports its unknown keys.</summary>
    public T Section<T>(string key, Func<MappingReader, T> read)
    {
        MappingReader child = Open(Take(key), Location, PathOf(key), Problems);
        T result = read(child);
        child.Finish();
        return result;
    }

    /// <summary>Reads a scalar with <paramref name="parse"/>; absent gives <paramref name="fallback"/>.</summary>
    public T Scalar<T>(string key, T fallback, string expected, Parser<T> parse)
    {
        ConfigNode? node = Take(key);
        if (node is null) return fallback;
        if (node is ConfigScalar { Value.Length: > 0 } scalar && parse(scalar.Value, out T value)) return value;
        Report(key, expected, node.Describe());
        return fallback;
    }

    /// <summary>A required scalar: absence is reported too.</summary>
    public T Required<T>(string key, T placeholder, string expected, Parser<T> parse)
    {
        if (!Has(key)) Report(key, expected, "nothing");
        return Scalar(key, placeholder, expected, parse);
    }

    public string Text(string key, string fallback) => Scalar(key, fallback, "text", TryText);

    public int Int(string key, int fallback, int min, int max = int.MaxValue) =>
        Scalar(key, fallback, Range("an integer", min, max), (string text, out int value) =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);

    /// <summary>Any integer of <typeparamref name="T"/>; the range is for the options it lands in to decide.</summary>
    public T Integer<T>(string key, T fallback) where T : IBinaryInteger<T> =>
        Scalar(key, fallback, "an integer", (string text, out T value) =>
            T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value!));

    /// <summary>Any finite number; the range is for the options it lands in to decide.</summary>
    public double Number(string key, double fallback) => Scalar(key, fallback, "a finite number", TryDouble);

    public double Double(string key, double fallback, double min, double max, bool minExclusive = false) =>
        Scalar(key, fallback, Range("a number", min, max, minExclusive), (string text, out double value) =>
            TryDouble(text, out value) && (minExclusive ? value > min : value >= min) && value <= max);

    /// <summary>A duration of zero or more (the format has no negative durations).</summary>
    public SimTime Time(string key, SimTime fallback) =>
        Scalar(key, fallback, DurationText, (string text, out SimTime value) => SimTime.TryParse(text, out value, out _) && value >= SimTime.Zero);

    public DataRate Rate(string key, DataRate fallback) =>
        Scalar(key, fallback, "a data rate with a unit (bps, Kbps, Mbps, Gbps, Tbps), greater than zero, e.g. 25Gbps",
            (string text, out DataRate value) => DataRate.TryParse(text, out value, out _));

    public ByteSize Size(string key, ByteSize fallback, bool positive = false) =>
        Scalar(key, fallback, positive ? SizeText + ", greater than zero" : SizeText, (string text, out ByteSize value) =>
            ByteSize.TryParse(text, out value, out _) && (!positive || value.Bytes > 0));

    public T Enum<T>(string key, T fallback) where T : struct, System.Enum =>
        Scalar(key, fallback, $"one of {EnumText<T>.Choices}", EnumText<T>.TryParse);

    /// <summary>Reports every key that no read asked for.</summary>
    public void Finish()
    {
        if (_mapping is null) return;
        foreach ((ConfigScalar key, _) in _mapping.Entries)
        {
            if (_asked.Contains(key.Value)) continue;
            string known = string.Join(", ", _asked);
            Problems.Add(key.Location, PathOf(key.Value), $"a known key ({known})", $"'{key.Value}'");
        }
    }

    public static bool TryDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool TryText(string text, out string value)
    {
        value = text;
        return true;
    }

    private static string Range(string what, double min, double max, bool minExclusive = false)
    {
        string low = minExclusive ? $"greater than {Format(min)}" : $"at least {Format(min)}";
        bool bounded = max < int.MaxValue;
        return bounded ? $"{what} {low} and at most {Format(max)}" : $"{what} {low}";
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
