using BenchmarkDotNet.Attributes;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Benchmarks;

/// <summary>
/// The hold model: N pending events; each handled event schedules one successor at now + an
/// exponential offset, so the queue size stays N. One operation is one event (pop, dispatch,
/// push); events/s = 1e9 / Mean. The baseline is a bare <see cref="PriorityQueue{TElement,TPriority}"/>
/// pop/push loop over the same offsets, with no dispatch, no FIFO tie-break and no cancel support.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EventRateConfig))]
public class KernelHoldBenchmarks
{
    private const int EventsPerInvoke = 1_000_000;
    private const double MeanOffsetNs = 1_000;

    private long[] _offsets = [];
    private Simulator _simulator = null!;
    private HoldTarget _target = null!;
    private PriorityQueue<(long Time, int Kind), long> _queue = null!;
    private int _queueNext;

    [Params(1_000, 100_000, 1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _offsets = ExponentialOffsets.Draw(MeanOffsetNs, seed: 1);
        _simulator = new Simulator();
        _target = new HoldTarget(_simulator, _offsets);
        _queue = new PriorityQueue<(long, int), long>(N);
        for (int i = 0; i < N; i++)
        {
            long at = _target.NextOffset();
            _simulator.Schedule(new SimTime(at), _target, 0, i);
            _queue.Enqueue((at, 0), at);
        }
        _queueNext = N;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    public long PriorityQueueLoop()
    {
        PriorityQueue<(long Time, int Kind), long> queue = _queue;
        long[] offsets = _offsets;
        int next = _queueNext;
        long time = 0;
        for (int i = 0; i < EventsPerInvoke; i++)
        {
            queue.TryDequeue(out (long Time, int Kind) element, out time);
            long at = time + offsets[next++ & ExponentialOffsets.Mask];
            queue.Enqueue((at, element.Kind), at);
        }
        _queueNext = next;
        return time;
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public long SimulatorHold()
    {
        _target.Remaining = EventsPerInvoke;
        _simulator.Run();
        return _simulator.Now.Nanoseconds;
    }
}
