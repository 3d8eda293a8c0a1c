using ClusterNetPerf.Scenarios.Output;

namespace ClusterNetPerf.Scenarios.Validation;

/// <summary>A comparison's chart: the model as lines or points with 95 % error bars, the published figures as markers.</summary>
/// <param name="Name">The file's base name in results/validation/ (written as .png and .svg).</param>
/// <param name="Chart">What is drawn.</param>
public sealed record ValidationChart(string Name, Chart Chart);
