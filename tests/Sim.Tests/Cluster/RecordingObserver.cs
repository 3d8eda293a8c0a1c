using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Cluster;

/// <summary>Keeps every trace a data-plane test may assert on.</summary>
internal sealed class RecordingObserver : IDataPlaneObserver
{
    public List<SimTime> SetupLatencies { get; } = [];
    public List<FlowTuple> SeenByServers { get; } = [];
    public List<FlowTuple> SeenByClients { get; } = [];
    public Dictionary<DropCause, long> Drops { get; } = [];
    public Dictionary<DropCause, long> Failures { get; } = [];
    public List<SimTime> RuleSyncLatencies { get; } = [];
    public long Offered { get; private set; }
    public long Completed { get; private set; }

    public void ConnectionOffered(SimTime startedAt) => Offered++;
    public void SetupCompleted(SimTime startedAt, SimTime latency) => SetupLatencies.Add(latency);
    public void RequestCompleted(SimTime startedAt, SimTime latency, long applicationBytes) { }
    public void ConnectionCompleted(SimTime startedAt) => Completed++;
    public void ConnectionFailed(SimTime startedAt, DropCause cause) => Failures[cause] = Failures.GetValueOrDefault(cause) + 1;
    public void Dropped(DropCause cause) => Drops[cause] = Drops.GetValueOrDefault(cause) + 1;
    public void RuleSynced(int node, SimTime latency) => RuleSyncLatencies.Add(latency);

    public List<(SimTime StartedAt, SimTime Latency, bool TimedOut)> DnsLookups { get; } = [];
    public void DnsLookupCompleted(SimTime startedAt, SimTime latency, bool timedOut) => DnsLookups.Add((startedAt, latency, timedOut));

    public List<(FlowTuple Seen, IPv4Address ForwardedFor)> Forwarded { get; } = [];
    public void RequestForwarded(in FlowTuple seen, IPv4Address forwardedFor) => Forwarded.Add((seen, forwardedFor));

    public void HandshakeDelivered(in FlowTuple seen, bool atServer) => (atServer ? SeenByServers : SeenByClients).Add(seen);

    public List<(int Node, SimTime StartedAt, SimTime Duration, bool Full)> Syncs { get; } = [];
    public void SyncCompleted(int node, SimTime startedAt, SimTime duration, bool full, long natRules) => Syncs.Add((node, startedAt, duration, full));
}
