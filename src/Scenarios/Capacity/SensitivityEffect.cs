namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>A metric that changed when one parameter was scaled.</summary>
/// <param name="Parameter">The scenario path scaled.</param>
/// <param name="Factor">0.9 or 1.1.</param>
/// <param name="Value">The value set, as scenario text.</param>
/// <param name="Metric">The metric.</param>
/// <param name="BaseMean">Its mean over the base's replications.</param>
/// <param name="PerturbedMean">Its mean with the parameter scaled (same seeds).</param>
/// <param name="RelativeChange">Mean paired difference over |base mean|; NaN when the base mean is 0.</param>
/// <param name="Significant">The mean paired difference lies outside its 95% interval.</param>
public sealed record SensitivityEffect(string Parameter, double Factor, string Value, string Metric, double BaseMean, double PerturbedMean, double RelativeChange, bool Significant);
