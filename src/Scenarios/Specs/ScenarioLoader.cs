using System.Globalization;
using ClusterNetPerf.Sim.Cluster;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// Loads a scenario from a file or a shipped study, applies <c>--set path=value</c> overrides, expands
/// and validates the sweep, and reports every problem at once as a <see cref="ScenarioException"/>
/// whose messages read <c>file:line:column: key.path: expected X, found Y</c>.
/// </summary>
/// <param name="isKnownCost">Whether a name under <c>cluster.costs</c> is a cost parameter the model knows.</param>
/// <param name="checkModel">What the model finds impossible in a resolved point, each problem named by its
/// scenario key path; the loader locates it in the file (the model owns every range and cross-field rule).</param>
public sealed class ScenarioLoader(Func<string, bool> isKnownCost, Func<ScenarioSpec, IReadOnlyList<OptionProblem>> checkModel)
{
    /// <summary>The most sweep points: each is resolved and checked at load time, which must stay quick.</summary>
    public const long MaxPoints = 10_000;

    /// <summary>The most runs (points × replications) a scenario may expand to; beyond this the sweep itself is a mistake.</summary>
    public const long MaxRuns = 1_000_000;

    /// <summary>Top-level keys a sweep may not vary: they define the sweep itself.</summary>
    private static readonly string[] Unsweepable = ["name", "seed", "replications", "sweep"];

    private readonly SpecReader _reader = new(isKnownCost);

    /// <summary>The resolved scenario (defaults filled in, overrides applied, sweep validated).</summary>
    /// <param name="fileOrStudy">A path to a YAML file, or the name of a shipped study.</param>
    /// <param name="sets">Overrides, each <c>path=value</c>, applied in order.</param>
    /// <exception cref="ScenarioException">The file, a study name, an override or a sweep value is invalid.</exception>
    public ScenarioSpec Load(string fileOrStudy, IReadOnlyList<string> sets) => Resolve(fileOrStudy, sets).Scenario;

    /// <summary>Like <see cref="Load"/>, with every sweep point resolved.</summary>
    /// <exception cref="ScenarioException">The file, a study name, an override or a sweep value is invalid.</exception>
    public ResolvedScenario Resolve(string fileOrStudy, IReadOnlyList<string> sets)
    {
        (string text, string source) = ReadSource(fileOrStudy);
        return ResolveText(text, source, sets);
    }

    /// <summary>The scenario as one point, its sweep dropped before the overrides apply (so they may set a swept path): what <c>clusternetperf run</c> runs.</summary>
    /// <exception cref="ScenarioException">The file, a study name or an override is invalid.</exception>
    public ResolvedScenario ResolveWithoutSweep(string fileOrStudy, IReadOnlyList<string> sets)
    {
        (string text, string source) = ReadSource(fileOrStudy);
        return ResolveText(text, source, sets, keepSweep: false);
    }

    /// <summary>Resolves scenario YAML held in memory; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="ScenarioException">The text, an override or a sweep value is invalid.</exception>
    public ResolvedScenario ResolveText(string text, string source, IReadOnlyList<string> sets) => ResolveText(text, source, sets, keepSweep: true);

    private ResolvedScenario ResolveText(string text, string source, IReadOnlyList<string> sets, bool keepSweep)
    {
        var problems = new ProblemList();
        ConfigMapping? root = YamlDocumentReader.Read(text, source, problems);
        if (root is null) throw new ScenarioException(problems.Items);

        ConfigNode? sweepNode = root["sweep"];
        root.Remove("sweep");
        List<SweepAxis> axes = keepSweep ? ReadSweep(sweepNode, problems) : [];
        ApplySets(root, sets, axes, problems);

        var sweep = new SweepSpec { Axes = [.. axes.Select(axis => new SweepAxisSpec(axis.Path, [.. axis.Values.Select(value => value.Value)]))] };
        ScenarioSpec scenario = _reader.Read(root, problems) with { Sweep = sweep };
        if (axes.Count == 0) CheckModel(scenario, root, problems);
        long pointCount = axes.Aggregate(1L, (product, axis) => Math.Min(product * axis.Values.Count, MaxRuns + 1));
        if (pointCount > MaxPoints || pointCount * scenario.Replications > MaxRuns)
        {
            problems.Add(sweepNode?.Location ?? root.Location, "sweep",
                string.Create(CultureInfo.InvariantCulture, $"at most {MaxPoints:N0} points and {MaxRuns:N0} runs (points × replications)"),
                string.Create(CultureInfo.InvariantCulture, $"{(pointCount > MaxRuns ? $"more than {MaxRuns:N0}" : $"{pointCount:N0}")} points × {scenario.Replications} replications"));
            throw new ScenarioException(problems.Items);
        }

        // Each value alone first, so a bad value is reported once rather than once per point it is in.
        foreach (SweepAxis axis in axes)
            foreach (ConfigScalar value in axis.Values)
                ReadWith(root, [(axis, value)], problems, checkTheModel: false);
        if (problems.Count > 0) throw new ScenarioException(problems.Items);

        var points = new List<SweepPoint>(sweep.PointCount);
        for (int index = 0; index < sweep.PointCount; index++)
        {
            int[] digits = SweepSpec.ChoiceAt(index, [.. axes.Select(axis => axis.Values.Count)]);
            List<(SweepAxis, ConfigScalar)> choice = [.. axes.Select((axis, a) => (axis, axis.Values[digits[a]]))];
            ScenarioSpec? point = ReadWith(root, choice, problems, checkTheModel: true);
            if (point is null) continue;
            List<string> values = [.. choice.Select(c => c.Item2.Value)];
            string key = SweepPoint.KeyOf(axes.Select(axis => axis.Path), values);
            points.Add(new SweepPoint(index, values, key, point with { Sweep = new SweepSpec() }));
        }
        problems.ThrowIfAny();
        return new ResolvedScenario(scenario, points);
    }

    /// <summary>The largest scenario file read: a scenario is a page of YAML; anything this big is a mistake (or not a scenario).</summary>
    public const long MaxFileBytes = 1 << 20;

    private static (string Text, string Source) ReadSource(string fileOrStudy)
    {
        if (File.Exists(fileOrStudy)) return (ReadFile(fileOrStudy), fileOrStudy);
        if (StudyCatalog.TryGetText(fileOrStudy) is string study) return (study, $"{fileOrStudy}.yaml (shipped study)");
        throw Problem(fileOrStudy, $"an existing YAML file or a shipped study ({string.Join(", ", StudyCatalog.Names)})", $"'{fileOrStudy}'");
    }

    /// <summary>The file's text, read only when it is a regular file of a sensible size that can be read.</summary>
    private static string ReadFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxFileBytes)
                throw Problem(path, string.Create(CultureInfo.InvariantCulture, $"a scenario file of at most {MaxFileBytes:N0} bytes"),
                    string.Create(CultureInfo.InvariantCulture, $"{info.Length:N0} bytes"));
            using var reader = new StreamReader(path, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true));
            return reader.ReadToEnd();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Problem(path, "a readable file", $"'{exception.Message}'");
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw Problem(path, "a UTF-8 text file", "bytes that are not UTF-8 text");
        }
    }

    private static ScenarioException Problem(string location, string expected, string found) =>
        new([new ScenarioProblem(location, "scenario", expected, found)]);

    /// <summary>
    /// Reads the document with <paramref name="choice"/> applied to a copy; null when it has problems (added to
    /// <paramref name="problems"/>). The model's cross-field rules are checked only for whole points
    /// (<paramref name="checkTheModel"/>): one sweep value alone, with the others at their base values, is no point that runs.
    /// </summary>
    private ScenarioSpec? ReadWith(ConfigMapping root, IReadOnlyList<(SweepAxis Axis, ConfigScalar Value)> choice, ProblemList problems, bool checkTheModel)
    {
        var local = new ProblemList();
        var copy = (ConfigMapping)root.Clone();
        foreach ((SweepAxis axis, ConfigScalar value) in choice)
            ConfigPath.TryApply(copy, axis.Path, value, axis.Location, local);
        ScenarioSpec? spec = local.Count == 0 ? _reader.Read(copy, local) : null;
        if (spec is not null && checkTheModel) CheckModel(spec, copy, local);
        problems.AddRange(local);
        return local.Count == 0 ? spec : null;
    }

    /// <summary>Adds what the model finds impossible in <paramref name="spec"/>, located in <paramref name="document"/>.</summary>
    private void CheckModel(ScenarioSpec spec, ConfigMapping document, ProblemList problems)
    {
        // A key already reported holds its default now; what the model says about that default is noise.
        HashSet<string> reported = [.. problems.Items.Select(problem => problem.Path)];
        foreach (OptionProblem problem in checkModel(spec).Where(problem => !reported.Contains(problem.Option)))
            problems.Add(ConfigPath.Locate(document, problem.Option), problem.Option, problem.Expected, problem.Found);
    }

    private static List<SweepAxis> ReadSweep(ConfigNode? node, ProblemList problems)
    {
        var axes = new List<SweepAxis>();
        if (node is null) return axes;
        if (node is not ConfigMapping mapping)
        {
            problems.Add(node.Location, "sweep", "a mapping from scenario path to a list of values", node.Describe());
            return axes;
        }
        foreach ((ConfigScalar key, ConfigNode value) in mapping.Entries)
        {
            string path = $"sweep.{key.Value}";
            string? root = ConfigPath.Root(key.Value);
            if (root is null || Unsweepable.Contains(root))
            {
                problems.Add(key.Location, path, "a scenario path other than name, seed, replications or sweep, e.g. services.count", $"'{key.Value}'");
                continue;
            }
            if (value is not ConfigSequence { Items.Count: > 0 } list || list.Items.Any(item => item is not ConfigScalar))
            {
                problems.Add(value.Location, path, "a non-empty list of scalar values", value.Describe());
                continue;
            }
            List<ConfigScalar> values = [.. list.Items.Cast<ConfigScalar>()];
            foreach (ConfigScalar duplicate in values.GroupBy(v => v.Value).Where(g => g.Count() > 1).Select(g => g.Last()))
                problems.Add(duplicate.Location, path, "distinct values", $"'{duplicate.Value}' twice");
            axes.Add(new SweepAxis(key.Value, values, key.Location));
        }
        return axes;
    }

    private static void ApplySets(ConfigMapping root, IReadOnlyList<string> sets, List<SweepAxis> axes, ProblemList problems)
    {
        foreach (string set in sets)
        {
            SourceLocation location = SourceLocation.FromSet(set);
            int equals = set.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add(location, "--set", "path=value, e.g. services.count=500", $"'{set}'");
                continue;
            }
            string path = set[..equals];
            if (ConfigPath.Root(path) == "sweep" || axes.Any(axis => axis.Path == path))
            {
                problems.Add(location, path, "a path that is not swept (change the sweep in the file instead)", $"'{path}'");
                continue;
            }
            ConfigPath.TryApply(root, path, new ConfigScalar(set[(equals + 1)..], location), location, problems);
        }
    }

    private sealed record SweepAxis(string Path, List<ConfigScalar> Values, SourceLocation Location);
}
