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

    /// <summary>
    /// The time one node's kube-proxy takes for a sync (kubeproxy_sync_proxy_rules_duration_seconds), from the
    /// ruleset as it stands. O(1) in Services apart from iptables' count of one Service's local endpoints.
    /// </summary>
    SimTime SyncDuration(in SyncWork work);

    /// <summary>Rules in the nat table of <paramref name="node"/> as kube-proxy writes them (iptables mode; 0 in the others).</summary>
    long NatRules(int node);

    /// <summary>A connection through <paramref name="endpoint"/>, opened on <paramref name="node"/>, has closed.</summary>
    void ConnectionClosed(int node, Endpoint endpoint);
}
