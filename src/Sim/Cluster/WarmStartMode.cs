namespace ClusterNetPerf.Sim.Cluster;

/// <summary>How a run's stateful tables begin, before the ordinary warm-up.</summary>
public enum WarmStartMode
{
    /// <summary>Empty: every table fills during the warm-up, as on a node that has just booted.</summary>
    None,

    /// <summary>
    /// Each stateful table (conntrack, MASQUERADE ports, the gateway's ports in their reuse delay,
    /// Cilium's CT and NAT maps) begins in the distribution it reaches under the run's workload
    /// (an M/G/∞ draw: docs/design.md, "Stationary warm start"); the warm-up settles the rest.
    /// </summary>
    Stationary,
}
