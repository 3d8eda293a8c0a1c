using System.Collections.Concurrent;
using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Network;


namespace ClusterNetPerf.Scenarios.Tests.Running;

/// <summary>A deterministic stand-in for the model: metrics are functions of the seed and the spec, and every call is recorded.</summary>
public sealed class FakePointRunner : IPointRunner
{
    private readonly CancellationTokenSource? _interrupt;
    private readonly int _interruptAfter;
    private int _calls;

    /// <param name="interrupt">Cancelled (as Ctrl-C would) when the call after <paramref name="interruptAfter"/> calls starts.</param>
    /// <param name="interruptAfter">Calls that run normally before the interruption.</param>
    public FakePointRunner(CancellationTokenSource? interrupt = null, int interruptAfter = int.MaxValue)
    {
        _interrupt = interrupt;
        _interruptAfter = interruptAfter;
    }

    public ConcurrentBag<ulong> Seeds { get; } = [];

    public RunMetrics Run(ScenarioSpec resolved, ulong seed, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) > _interruptAfter) _interrupt?.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        Seeds.Add(seed);
        double noise = (seed % 1000) / 1000.0;
        double perService = resolved.Cluster.KubeProxy.Mode == KubeProxyMode.Iptables ? 0.5 : 0.001;
        return new RunMetrics
        {
            ConnectionsOffered = 1000 + (long)(seed % 97),
            ConnectionsCompleted = 990,
            ConnectionsFailed = (long)(seed % 7),
            SetupLatencyP50Us = 50 + perService * resolved.Services.Count * 0.5 + noise,
            SetupLatencyP99Us = 100 + perService * resolved.Services.Count + noise / 3,
            RequestLatencyP99Us = 1000 + noise,
            ThroughputGbps = 1.0 / 3 + resolved.Services.Count / 1e4,
            ConntrackEntriesPeak = 10_000 + resolved.Services.Count,
            NodeCpuUtilizationMax = Math.Min(1, 0.1 + perService * resolved.Services.Count / 10_000),
            Events = 100_000 + (long)(seed % 1013),
        };
    }
}
