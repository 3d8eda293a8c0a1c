namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>One thing wrong with a scenario, located in its file or in the <c>--set</c> argument that caused it.</summary>
/// <param name="Location"><c>file:line:column</c>, or <c>--set 'path=value'</c>.</param>
/// <param name="Path">The key path, e.g. <c>cluster.kubeProxy.mode</c>.</param>
/// <param name="Expected">What would have been valid.</param>
/// <param name="Found">What was there.</param>
public sealed record ScenarioProblem(string Location, string Path, string Expected, string Found)
{
    /// <summary>The one-line message: <c>location: path: expected X, found Y</c>.</summary>
    public string Message => $"{Location}: {Path}: expected {Expected}, found {Found}";

    public override string ToString() => Message;
}
