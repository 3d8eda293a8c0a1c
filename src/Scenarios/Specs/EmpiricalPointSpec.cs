using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>One point of an empirical CDF: P(size ≤ <see cref="Size"/>) = <see cref="CumulativeProbability"/>.</summary>
public sealed record EmpiricalPointSpec(ByteSize Size, double CumulativeProbability);
