namespace ClusterNetPerf.Sim.Kernel;

/// <summary>
/// Names one scheduled event so it can be cancelled. A handle stays safe after its event has
/// run or been cancelled: the slot's generation has moved on, so a stale cancel does nothing.
/// </summary>
public readonly record struct EventHandle(int Slot, int Generation)
{
    /// <summary>A handle that names no event; cancelling it does nothing.</summary>
    public static readonly EventHandle None = new(-1, 0);
}
