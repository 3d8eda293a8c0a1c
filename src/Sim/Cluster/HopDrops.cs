using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>Names a route hop's drop in the cluster's terms: the one place a <see cref="HopDropReason"/> becomes a <see cref="DropCause"/>.</summary>
internal static class HopDrops
{
    /// <summary>The drop cause counted for a message a hop refused.</summary>
    public static DropCause Cause(HopDropReason reason) => reason switch
    {
        HopDropReason.BufferFull => DropCause.LinkBuffer,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "A hop drop reason with no cluster drop cause."),
    };
}
