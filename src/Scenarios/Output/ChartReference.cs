namespace ClusterNetPerf.Scenarios.Output;

/// <summary>A horizontal reference line on a chart: a published limit at <paramref name="Y"/>, in the metric's unit.</summary>
public sealed record ChartReference(double Y, string Label);
