namespace ClusterNetPerf.Scenarios.Output;

/// <summary>One line of a chart: a legend name and, per x value (as written in the CSV), a mean and its 95% CI half-width (NaN: no band).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<(string X, double Mean, double Ci95)> Points);
