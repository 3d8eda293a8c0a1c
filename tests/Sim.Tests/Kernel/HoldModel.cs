using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Tests.Kernel;

/// <summary>
/// The classic "hold" workload: every event schedules one successor a pre-drawn offset later,
/// so the number of pending events stays constant.
/// </summary>
internal sealed class HoldModel : IEventTarget
{
    private readonly Simulator _simulator;
    private readonly long[] _offsetsNs;
    private int _next;

    public HoldModel(Simulator simulator, int pending, int offsets, int seed)
    {
        _simulator = simulator;
        var random = new System.Random(seed);
        _offsetsNs = Enumerable.Range(0, offsets).Select(_ => 1 + (long)(-Math.Log(1 - random.NextDouble()) * 1_000)).ToArray();
        for (int i = 0; i < pending; i++) _simulator.Schedule(new SimTime(NextOffset()), this, 0, i);
    }

    public void OnEvent(int kind, long argument) => _simulator.ScheduleAfter(new SimTime(NextOffset()), this, kind, argument);

    private long NextOffset()
    {
        long offset = _offsetsNs[_next];
        _next = _next + 1 == _offsetsNs.Length ? 0 : _next + 1;
        return offset;
    }
}
