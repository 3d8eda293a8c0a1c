namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// A node of a scenario document, with the location each value came from. YAML is converted into this
/// small tree so that overrides (<c>--set</c>, sweep values) can be applied with their own locations and
/// then read and validated by the same code as the file.
/// </summary>
internal abstract class ConfigNode(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    /// <summary>How the node is named in "found …" messages.</summary>
    public abstract string Describe();

    public abstract ConfigNode Clone();
}
