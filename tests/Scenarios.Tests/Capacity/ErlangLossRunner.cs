using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Validation;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Scenarios.Tests.Capacity;

/// <summary>
/// A gateway port pool as the point runner: Poisson arrivals at the scenario's first workload rate toward
/// one destination, each holding a port for <see cref="HoldSeconds"/>, on a <see cref="NatGateway"/> of
/// <see cref="Ports"/> ports. An M/G/c/c loss system, so the failed fraction is Erlang B(λh, c).
/// </summary>
public sealed class ErlangLossRunner : IPointRunner
{
    public const int Ports = 20;
    public const double HoldSeconds = 1;

    public RunMetrics Run(ScenarioSpec resolved, ulong seed, CancellationToken cancellationToken)
    {
        GatewayLossRun.Outcome outcome = GatewayLossRun.Run(Ports, resolved.Workloads[0].ConnectionsPerSecond * HoldSeconds,
            SimTime.FromSeconds(HoldSeconds), resolved.Warmup, resolved.Duration, seed);
        return new RunMetrics { ConnectionsOffered = outcome.Offered, ConnectionsFailed = outcome.Refused, ConnectionsCompleted = outcome.Offered - outcome.Refused };
    }

    /// <summary>The largest offered load (erlangs) with blocking under <paramref name="blocking"/>, by bisection on the Erlang B recursion.</summary>
    public static double ErlangsAtBlocking(double blocking)
    {
        double low = 0, high = Ports;
        for (int i = 0; i < 60; i++)
        {
            double middle = (low + high) / 2;
            if (QueueingTheory.ErlangB(middle, Ports) < blocking) low = middle;
            else high = middle;
        }
        return low;
    }
}
