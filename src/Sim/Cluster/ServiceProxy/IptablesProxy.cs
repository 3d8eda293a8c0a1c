using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;

namespace ClusterNetPerf.Sim.Cluster.ServiceProxy;

/// <summary>
/// kube-proxy's iptables mode. The first packet of a connection walks the nat table:
/// PREROUTING/OUTPUT → KUBE-SERVICES (one rule per service port, in order) → KUBE-SVC-* (a
/// `statistic --probability` rule per endpoint: 1/n, 1/(n−1), …, the last unconditional) →
/// KUBE-SEP-* (mark for masquerade, DNAT), then POSTROUTING → KUBE-POSTROUTING.
/// </summary>
/// <remarks>
/// Rules evaluated for service k (from 0) reaching endpoint i (from 0): 1 (jump to
/// KUBE-SERVICES) + (k + 1) + 1 (the KUBE-SVC masquerade check for off-cluster sources) +
/// (i + 1) + 2 (KUBE-SEP) + 2 (KUBE-POSTROUTING) = k + i + 8. The probability chain chooses
/// each endpoint with probability 1/n, so the choice is drawn uniformly, in O(1). A new
/// connection to a non-service address walks all of KUBE-SERVICES and the final
/// KUBE-NODEPORTS address-type check: S + 4 rules. (Chain layout: kube-proxy source and
/// the nftables blog, 2025-02-28; docs/model-reference.md, "kube-proxy, iptables mode".)
/// </remarks>
public sealed class IptablesProxy : IServiceProxy
{
    private const int RulesBeforeServices = 1;
    private const int RulesBeforeEndpoints = 1;
    private const int RulesAfterEndpoint = 4;
    private const int RulesAfterServicesNoMatch = 3;

    private readonly ServiceCatalog _catalog;
    private readonly DataPlaneCosts _costs;
    private readonly System.Random _random;

    public IptablesProxy(ServiceCatalog catalog, DataPlaneCosts costs, System.Random random)
    {
        _catalog = catalog;
        _costs = costs;
        _random = random;
    }

    public KubeProxyMode Mode => KubeProxyMode.Iptables;
    public bool UsesConntrack => true;

    /// <summary>KUBE-SERVICES as it stands: one rule per service port.</summary>
    public NatRuleChain KubeServices => new(_catalog.Count, _costs.IptablesPerRule);

    /// <summary>
    /// Where <paramref name="service"/>'s rule sits in <paramref name="node"/>'s KUBE-SERVICES.
    /// kube-proxy writes the chain in Go map order (pkg/proxy/iptables/proxier.go iterates
    /// svcPortMap), so a position is arbitrary: the workload's Services, which workloads pick
    /// uniformly, keep their index; the cluster's own (kube-dns, the ingress controllers) sit
    /// at a position drawn per node, fixed for the run.
    /// </summary>
    public long ChainPosition(int node, int service) => service < _catalog.WorkloadServices
        ? service
        : (long)(RandomStreams.Hash(((ulong)(uint)node << 32) | (uint)service) % (ulong)_catalog.Count);

    /// <summary>Rules evaluated by a new connection from <paramref name="node"/> to service <paramref name="service"/> that reaches endpoint <paramref name="endpoint"/>.</summary>
    public long RulesEvaluated(int node, int service, int endpoint, int endpoints) =>
        RulesBeforeServices + KubeServices.RulesEvaluatedToMatch(ChainPosition(node, service)) + RulesBeforeEndpoints +
        new NatRuleChain(endpoints, _costs.IptablesPerRule).RulesEvaluatedToMatch(endpoint) + RulesAfterEndpoint;

    public SimTime TranslateNewConnection(int node, int service, ReadOnlySpan<Endpoint> endpoints, out int chosen)
    {
        chosen = _random.Next(endpoints.Length);
        return new SimTime(RulesEvaluated(node, service, chosen, endpoints.Length) * _costs.IptablesPerRule.Nanoseconds);
    }

    /// <summary>
    /// A NodePort packet matches no ClusterIP rule: it walks all of KUBE-SERVICES to the final
    /// KUBE-NODEPORTS jump (S + 2 rules), matches the service's port rule there (1), jumps via
    /// KUBE-EXT (masquerade mark, 2) into the service's KUBE-SVC chain and KUBE-SEP.
    /// </summary>
    public SimTime TranslateNodePort(int node, int service, ReadOnlySpan<Endpoint> endpoints, out int chosen)
    {
        chosen = _random.Next(endpoints.Length);
        long rules = RulesBeforeServices + KubeServices.Rules + 1 + 1 + 2 +
            new NatRuleChain(endpoints.Length, _costs.IptablesPerRule).RulesEvaluatedToMatch(chosen) + RulesAfterEndpoint;
        return new SimTime(rules * _costs.IptablesPerRule.Nanoseconds);
    }

    public SimTime NonServiceNewConnectionWork =>
        new((RulesBeforeServices + KubeServices.Rules + RulesAfterServicesNoMatch) * _costs.IptablesPerRule.Nanoseconds);

    /// <summary>
    /// iptables-restore of the lines written. Full: every chain — per service a KUBE-SERVICES
    /// rule, a KUBE-SVC chain (declaration, masquerade rule, n jump rules) and n KUBE-SEP chains
    /// (declaration, 2 rules): 3 + 4n lines. Partial (KEP-3453): KUBE-SERVICES is rewritten
    /// whole, plus the chains of the changed services.
    /// </summary>
    public SimTime SyncDuration(bool full, int changedServices)
    {
        double endpointsPerService = _catalog.Count == 0 ? 0 : _catalog.TotalEndpoints / (double)_catalog.Count;
        double linesPerServiceChains = 2 + 4 * endpointsPerService;
        double lines = full
            ? _catalog.Count * (1 + linesPerServiceChains)
            : _catalog.Count + changedServices * linesPerServiceChains;
        return new SimTime((long)(lines * _costs.IptablesRestorePerLine.Nanoseconds));
    }

    public void ConnectionClosed(int node, Endpoint endpoint)
    {
    }
}
