namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>Collects problems in order, once each: the same problem reached through several sweep points is reported once.</summary>
internal sealed class ProblemList
{
    private readonly List<ScenarioProblem> _problems = [];
    private readonly HashSet<ScenarioProblem> _seen = [];

    public int Count => _problems.Count;

    public IReadOnlyList<ScenarioProblem> Items => _problems;

    public void Add(SourceLocation location, string path, string expected, string found)
    {
        var problem = new ScenarioProblem(location.Text, path, expected, found);
        if (_seen.Add(problem)) _problems.Add(problem);
    }

    public void AddRange(ProblemList other)
    {
        foreach (ScenarioProblem problem in other._problems)
            if (_seen.Add(problem)) _problems.Add(problem);
    }

    public void ThrowIfAny()
    {
        if (_problems.Count > 0) throw new ScenarioException([.. _problems]);
    }
}
