using System.Text.Json;
using System.Text.RegularExpressions;
using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Cli;

namespace ClusterNetPerf.Scenarios.Tests.Cli;

/// <summary>
/// The corpus of hostile inputs (<c>Corpus/cases.json</c>, the files beside it): each case runs the real
/// program in-process and must end with its exit code and a first line of output matching its pattern; a
/// case that fails must write nothing, neither at <c>{out}</c> nor beside its inputs, and no case may print
/// a stack trace.
/// </summary>
public sealed class HostileInputCorpusTests : IDisposable
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Corpus");
    private readonly TempDirectory _sandbox = new();

    public static TheoryData<string> Cases => [.. Read().Select(entry => entry.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_hostile_input_gets_its_exit_code_a_clear_first_line_and_writes_nothing_on_failure(string name)
    {
        CorpusCase entry = Read().Single(candidate => candidate.Name == name);
        string output = Path.Combine(_sandbox.Path, "out");
        string[] args = [.. entry.Args.Select(arg => arg.Replace("{corpus}", CorpusDirectory).Replace("{out}", output))];
        string[] corpusBefore = Listing(CorpusDirectory);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var cli = new CliApplication(new ClusterRunner(), ClusterRunner.CreateLoader(), ConsoleService.ForWriters(stdout, stderr),
            variable => entry.Environment?.GetValueOrDefault(variable));

        int exit = cli.Run(args);

        string printed = entry.Exit == ExitCodes.Ok ? stdout.ToString() : stderr.ToString();
        string firstLine = printed.Split('\n')[0].TrimEnd('\r');
        Assert.True(exit == entry.Exit, $"exit {exit}, expected {entry.Exit}; stdout: {stdout}; stderr: {stderr}");
        Assert.Matches(new Regex(entry.FirstLine), firstLine);
        Assert.DoesNotContain("   at ", stdout + stderr.ToString());
        Assert.Equal(corpusBefore, Listing(CorpusDirectory));
        if (exit != ExitCodes.Ok)
            Assert.Empty(Directory.EnumerateFileSystemEntries(_sandbox.Path));
    }

    [Fact]
    public void The_corpus_covers_every_exit_code_of_the_contract()
    {
        List<CorpusCase> cases = Read();
        Assert.Contains(cases, entry => entry.Exit == ExitCodes.Ok);
        Assert.Contains(cases, entry => entry.Exit == ExitCodes.BadInput);
        Assert.Equal(cases.Count, cases.Select(entry => entry.Name).Distinct().Count());
    }

    public void Dispose() => _sandbox.Dispose();

    private static List<CorpusCase> Read() =>
        JsonSerializer.Deserialize<List<CorpusCase>>(File.ReadAllText(Path.Combine(CorpusDirectory, "cases.json")),
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase })!;

    private static string[] Listing(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>One case of <c>cases.json</c>.</summary>
    /// <param name="Name">What the case is.</param>
    /// <param name="Args">The command line; <c>{corpus}</c> is the corpus folder, <c>{out}</c> a path in a fresh sandbox.</param>
    /// <param name="Exit">The exit code it must end with.</param>
    /// <param name="FirstLine">A regular expression the first line of output must match (stdout on success, stderr otherwise).</param>
    /// <param name="Environment">Environment variables the program sees.</param>
    private sealed record CorpusCase(string Name, string[] Args, int Exit, string FirstLine, Dictionary<string, string>? Environment);
}
