namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// One reason a set of options cannot be simulated, named by the option it is about, so that a
/// front end (the scenario loader) can point at the line that set it.
/// </summary>
/// <param name="Option">The option's path from the options object validated, e.g. <c>Nodes</c>,
/// <c>Ingress.Hosts</c> or <c>Workloads[0].Kind</c>.</param>
/// <param name="Expected">What would have been valid, e.g. "at least 1".</param>
/// <param name="Found">What was there.</param>
public sealed record OptionProblem(string Option, string Expected, string Found)
{
    /// <summary><c>Option: expected …, found …</c>.</summary>
    public string Message => $"{Option}: expected {Expected}, found {Found}";

    /// <summary>The same problem with <paramref name="prefix"/> put before its option, e.g. <c>Dns.</c>.</summary>
    public OptionProblem Under(string prefix) => this with { Option = prefix + Option };

    public override string ToString() => Message;
}
