namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The IPVS scheduling algorithm (YAML: <c>rr</c>, <c>lc</c>).</summary>
public enum IpvsScheduler
{
    /// <summary>Round robin.</summary>
    Rr,
    /// <summary>Least connections.</summary>
    Lc,
}
