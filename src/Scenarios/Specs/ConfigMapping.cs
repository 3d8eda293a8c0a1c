namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>A mapping in document order; keys keep their locations so an unknown key can be pointed at.</summary>
internal sealed class ConfigMapping(SourceLocation location) : ConfigNode(location)
{
    public List<(ConfigScalar Key, ConfigNode Value)> Entries { get; } = [];

    public ConfigNode? this[string key] => Entries.FirstOrDefault(entry => entry.Key.Value == key).Value;

    /// <summary>Replaces the value of <paramref name="key"/>, or appends the entry when absent.</summary>
    public void Set(ConfigScalar key, ConfigNode value)
    {
        int index = Entries.FindIndex(entry => entry.Key.Value == key.Value);
        if (index >= 0) Entries[index] = (Entries[index].Key, value);
        else Entries.Add((key, value));
    }

    public bool Remove(string key) => Entries.RemoveAll(entry => entry.Key.Value == key) > 0;

    public override string Describe() => "a mapping";

    public override ConfigNode Clone()
    {
        var copy = new ConfigMapping(Location);
        copy.Entries.AddRange(Entries.Select(entry => (entry.Key, entry.Value.Clone())));
        return copy;
    }
}
