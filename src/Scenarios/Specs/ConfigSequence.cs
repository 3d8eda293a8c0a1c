namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>A list.</summary>
internal sealed class ConfigSequence(List<ConfigNode> items, SourceLocation location) : ConfigNode(location)
{
    public List<ConfigNode> Items { get; } = items;

    public override string Describe() => "a list";

    public override ConfigNode Clone() => new ConfigSequence([.. Items.Select(item => item.Clone())], Location);
}
