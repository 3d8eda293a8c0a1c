namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>Where a value came from: <c>file:line:column</c> in a scenario file, or the <c>--set</c> argument that supplied it.</summary>
internal sealed record SourceLocation(string Text)
{
    public static SourceLocation InFile(string file, long line, long column) => new($"{file}:{line}:{column}");

    public static SourceLocation FromSet(string argument) => new($"--set '{argument}'");

    public override string ToString() => Text;
}
