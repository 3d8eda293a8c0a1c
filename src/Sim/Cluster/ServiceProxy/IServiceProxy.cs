using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Cluster.ServiceProxy;

/// <summary>
/// A kube-proxy mode's data path: what the first packet of a new connection costs on a node
/// and which endpoint it is sent to, and how long programming a change takes. Later packets
/// of a connection follow conntrack and cost no rule walk, in every mode.
/// </summary>
public interface IServiceProxy
{
    KubeProxyMode Mode { get; }

    /// <summary>Whether service flows get nf_conntrack entries (false for eBPF socket-level translation).</summary>
    bool UsesConntrack { get; }

    /// <summary>
    /// Translates the first packet of a new connection from <paramref name="node"/> to
    /// <paramref name="service"/>: picks one of <paramref name="endpoints"/> (never empty) and
    /// returns the CPU work of the lookup. O(1) in services and, except IPVS lc, in endpoints.
    /// </summary>
    SimTime TranslateNewConnection(int node, int service, ReadOnlySpan<Endpoint> endpoints, out int chosen);

    /// <summary>
    /// Translates the first packet of a connection from outside that arrives at
    /// <paramref name="node"/>'s NodePort of <paramref name="service"/>, choosing among
    /// <paramref name="endpoints"/> (already narrowed to local ones under the Local policy).
    /// </summary>
    SimTime TranslateNodePort(int node, int service, ReadOnlySpan<Endpoint> endpoints, out int chosen);

    /// <summary>The work a new connection not addressed to a Service costs (iptables walks all of KUBE-SERVICES).</summary>
    SimTime NonServiceNewConnectionWork { get; }

    /// <summary>The time one node takes to program a sync.</summary>
    /// <param name="full">A full resync rather than a partial one.</param>
    /// <param name="changedServices">Services whose endpoints changed since the node's last sync.</param>
    SimTime SyncDuration(bool full, int changedServices);

    /// <summary>A connection through <paramref name="endpoint"/>, opened on <paramref name="node"/>, has closed.</summary>
    void ConnectionClosed(int node, Endpoint endpoint);
}
