namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// Why a route hop refused a message. Generic to any network: what a drop means to the
/// system built on top (a Kubernetes cluster's drop causes, say) is decided there.
/// </summary>
public enum HopDropReason
{
    /// <summary>The hop's FIFO buffer could not hold the message (drop-tail).</summary>
    BufferFull,
}
