namespace ClusterNetPerf.Notebooks.Tests;

/// <summary>
/// Notebook runs take a kernel and a compiler each; on the 2-core CI machine they run one at a
/// time, so this collection turns off parallelism between its classes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookCollection
{
    public const string Name = "Notebooks";
}
