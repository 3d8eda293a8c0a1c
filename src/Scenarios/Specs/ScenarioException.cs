namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>A scenario (or the arguments naming it) is invalid; carries every problem found, not just the first.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(IReadOnlyList<ScenarioProblem> problems)
        : base(string.Join(Environment.NewLine, problems.Select(problem => problem.Message)))
    {
        Problems = problems;
    }

    /// <summary>The problems, in the order they were found.</summary>
    public IReadOnlyList<ScenarioProblem> Problems { get; }

    /// <summary>One message per problem.</summary>
    public IReadOnlyList<string> Messages => [.. Problems.Select(problem => problem.Message)];
}
