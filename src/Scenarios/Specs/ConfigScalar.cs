namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>A scalar, kept as its text; typing happens when it is read.</summary>
internal sealed class ConfigScalar(string value, SourceLocation location) : ConfigNode(location)
{
    public string Value { get; } = value;

    public override string Describe() => Value.Length == 0 ? "nothing" : $"'{Value}'";

    public override ConfigNode Clone() => this;
}
