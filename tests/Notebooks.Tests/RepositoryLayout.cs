namespace ClusterNetPerf.Notebooks.Tests;

/// <summary>Where the repository and its notebooks are, found from the test assembly's folder.</summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding ClusterNetPerf.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The shipped notebooks.</summary>
    public static string NotebooksDirectory => Path.Combine(Root, "notebooks");

    /// <summary>Notebooks used to test the checker itself.</summary>
    public static string FixturesDirectory => Path.Combine(Root, "tests", "Notebooks.Tests", "Fixtures");

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ClusterNetPerf.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No ClusterNetPerf.sln above {AppContext.BaseDirectory}.");
    }
}
