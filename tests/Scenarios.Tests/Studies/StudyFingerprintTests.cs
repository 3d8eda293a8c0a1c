using System.Security.Cryptography;
using System.Text;
using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Measurement;

namespace ClusterNetPerf.Scenarios.Tests.Studies;

/// <summary>
/// Fingerprints of the shipped studies (the OMNeT++ practice): the first and last point of each
/// study, shortened to 300 ms after a 100 ms warm-up, one replication, at the study's seed,
/// hashed over every metric column. Any change in the model's behaviour changes a
/// hash; when the change is intended, regenerate with CLUSTERNETPERF_UPDATE_FINGERPRINTS=1 and
/// review the diff of <c>fingerprints.txt</c> like any other.
/// </summary>
public sealed class StudyFingerprintTests
{
    private static readonly string[] Shortened = ["duration=300ms", "warmup=100ms", "replications=1"];

    public static TheoryData<string> Studies => [.. StudyCatalog.Names];

    [Theory]
    [MemberData(nameof(Studies))]
    public void Shipped_study_output_matches_its_fingerprint(string study)
    {
        string actual = Fingerprint(study);
        string file = FingerprintFile();
        Dictionary<string, string> expected = Read(file);
        if (Environment.GetEnvironmentVariable("CLUSTERNETPERF_UPDATE_FINGERPRINTS") == "1")
        {
            lock (typeof(StudyFingerprintTests))
            {
                expected = Read(file);
                expected[study] = actual;
                File.WriteAllLines(file, expected.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}"));
            }
            return;
        }
        Assert.True(expected.TryGetValue(study, out string? pinned), $"no fingerprint for {study}; run with CLUSTERNETPERF_UPDATE_FINGERPRINTS=1");
        Assert.Equal(pinned, actual);
    }

    [Fact]
    public void A_different_seed_changes_the_fingerprint()
    {
        Assert.NotEqual(Fingerprint("service-scaling"), Fingerprint("service-scaling", "seed=99"));
    }

    private static string Fingerprint(string study, params string[] extra)
    {
        ResolvedScenario resolved = ClusterRunner.CreateLoader().Resolve(study, [.. Shortened, .. extra]);
        var text = new StringBuilder();
        foreach (SweepPoint point in new[] { resolved.Points[0], resolved.Points[^1] })
        {
            RunMetrics metrics = new ClusterRunner().Run(point.Scenario, point.Scenario.Seed, CancellationToken.None);
            text.Append(point.Key).Append(':');
            for (int column = 0; column < MetricColumns.Count; column++) text.Append(MetricColumns.Format(metrics, column)).Append(',');
            text.Append('\n');
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static Dictionary<string, string> Read(string file) =>
        File.Exists(file)
            ? File.ReadAllLines(file).Where(line => line.Length > 0).Select(line => line.Split(' ')).ToDictionary(parts => parts[0], parts => parts[1])
            : [];

    /// <summary>
    /// The fingerprints beside this test in the source tree, found by walking up from the test
    /// binaries to the solution (CI builds map source paths away, so [CallerFilePath] won't do).
    /// </summary>
    private static string FingerprintFile()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ClusterNetPerf.sln"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException($"No ClusterNetPerf.sln above {AppContext.BaseDirectory}.");
        return Path.Combine(directory.FullName, "tests", "Scenarios.Tests", "Studies", "fingerprints.txt");
    }
}
