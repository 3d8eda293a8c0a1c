using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.Edge;
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
/// (i + 1) + 2 (KUBE-SEP) + 2 (KUBE-POSTROUTING) = k + i + 8. Before 1.22 the masquerade check sat in KUBE-SERVICES
/// beside each jump (<see cref="KubeProxyRelease.KubeServicesRulesPerServicePort"/>, kubernetes PR #96959), so the walk
/// is 1 + 2(k + 1) + (i + 1) + 4 = 2k + i + 8 and a walk that matches nothing meets two rules per Service. The probability chain chooses
/// each endpoint with probability 1/n, so the choice is drawn uniformly, in O(1). A new
/// connection to a non-service address walks all of KUBE-SERVICES — the S Service rules, the
/// ingress LoadBalancer IP's rule and the final KUBE-NODEPORTS address-type check
/// (<see cref="IptablesRuleset"/>) — then POSTROUTING's jump and KUBE-POSTROUTING's RETURN: S + 5 rules. (Chain layout: kube-proxy source and
/// the nftables blog, 2025-02-28; docs/model-reference.md, "kube-proxy, iptables mode".)
/// </remarks>
public sealed class IptablesProxy : IServiceProxy
{
    private const int RulesBeforeServices = 1;
    private const int RulesAfterEndpoint = 4;
    /// <summary>After KUBE-SERVICES (whose last rule, the KUBE-NODEPORTS jump, the chain counts): POSTROUTING's jump and KUBE-POSTROUTING's RETURN.</summary>
    private const int RulesAfterServicesNoMatch = 2;

    /// <summary>The ingress controllers' LoadBalancer Service has one LoadBalancer IP.</summary>
    private const int IngressLoadBalancerIps = 1;

    private readonly ServiceCatalog _catalog;
    private readonly PodTable _pods;
    private readonly IngressOptions _ingress;
    private readonly DataPlaneCosts _costs;
    private readonly System.Random _random;
    private readonly int _rulesPerServicePort;
    /// <summary>KUBE-SVC's masquerade check for off-cluster sources, where the release writes it there (from 1.22).</summary>
    private readonly int _rulesBeforeEndpoints;

    public IptablesProxy(ServiceCatalog catalog, PodTable pods, IngressOptions ingress, DataPlaneCosts costs, KubeProxyRelease release, System.Random random)
    {
        _rulesPerServicePort = release.KubeServicesRulesPerServicePort;
        _rulesBeforeEndpoints = _rulesPerServicePort == 1 ? 1 : 0;
        _catalog = catalog;
        _pods = pods;
        _ingress = ingress;
        _costs = costs;
        _random = random;
    }

    public KubeProxyMode Mode => KubeProxyMode.Iptables;
    public bool UsesConntrack => true;

    /// <summary>
    /// KUBE-SERVICES as it stands: the release's rules per Service port, one per LoadBalancer IP, and the closing
    /// KUBE-NODEPORTS jump (<see cref="IptablesRuleset"/>; O(1): the ingress's one LoadBalancer IP).
    /// </summary>
    public NatRuleChain KubeServices => new(_rulesPerServicePort * (long)_catalog.Count + IngressLoadBalancerIps + IptablesRuleset.Fixed.KubeServicesRules, _costs.IptablesPerRule);

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
        RulesBeforeServices + KubeServices.RulesEvaluatedToMatch(_rulesPerServicePort * (ChainPosition(node, service) + 1) - 1) + _rulesBeforeEndpoints +
        new NatRuleChain(endpoints, _costs.IptablesPerRule).RulesEvaluatedToMatch(endpoint) + RulesAfterEndpoint;

    public SimTime TranslateNewConnection(int node, int service, ReadOnlySpan<Endpoint> endpoints, out int chosen)
    {
        chosen = _random.Next(endpoints.Length);
        return new SimTime(RulesEvaluated(node, service, chosen, endpoints.Length) * _costs.IptablesPerRule.Nanoseconds);
    }

    /// <summary>
    /// A NodePort packet matches no ClusterIP rule: it walks all of KUBE-SERVICES to the final
    /// KUBE-NODEPORTS jump, matches the service's port rule there (1), jumps via
    /// KUBE-EXT (masquerade mark, 2) into the service's KUBE-SVC chain and KUBE-SEP. KUBE-SERVICES follows the release;
    /// the NodePort chains are today's in every release (see <see cref="KubeProxyRelease"/>).
    /// </summary>
    public SimTime TranslateNodePort(int node, int service, ReadOnlySpan<Endpoint> endpoints, out int chosen)
    {
        chosen = _random.Next(endpoints.Length);
        long rules = RulesBeforeServices + KubeServices.Rules + 1 + 2 +
            new NatRuleChain(endpoints.Length, _costs.IptablesPerRule).RulesEvaluatedToMatch(chosen) + RulesAfterEndpoint;
        return new SimTime(rules * _costs.IptablesPerRule.Nanoseconds);
    }

    public SimTime NonServiceNewConnectionWork =>
        new((RulesBeforeServices + KubeServices.Rules + RulesAfterServicesNoMatch) * _costs.IptablesPerRule.Nanoseconds);

    /// <summary>
    /// A sync as syncProxyRules (release-1.33) pays it with iptables-legacy: every rule regenerated in Go (unchanged
    /// chains go to a discard buffer), iptables-save of the table when stale chains are looked for, and iptables-restore,
    /// which replaces the whole table in the kernel and parses the lines written: all of them on a full sync; on a
    /// partial one the chain declarations of KUBE-SERVICES, KUBE-NODEPORTS, KUBE-POSTROUTING, KUBE-MARK-MASQ, the
    /// rules of KUBE-SERVICES and KUBE-NODEPORTS (written whole every time, KEP-3453) and the changed Services' chains.
    /// </summary>
    public SimTime SyncDuration(in SyncWork work)
    {
        IptablesRuleset table = Ruleset(work.Node);
        long written = table.Lines;
        if (!work.Full)
        {
            double linesPerService = _catalog.Count == 0 ? 0 : (double)(table.Lines - IptablesRuleset.Fixed.Lines) / _catalog.Count;
            written = IptablesRuleset.Fixed.Lines + table.KubeServicesRules + (long)(Math.Min(work.ChangedServices, _catalog.Count) * linesPerService);
        }
        long costNs = table.Lines * (_costs.IptablesGeneratePerLine.Nanoseconds + _costs.IptablesRestorePerTableLine.Nanoseconds)
            + written * _costs.IptablesRestorePerWrittenLine.Nanoseconds
            + (work.SavesTable ? table.Lines * _costs.IptablesSavePerLine.Nanoseconds : 0);
        return new SimTime(costNs);
    }

    public long NatRules(int node) => Ruleset(node).NatRules;

    /// <summary>
    /// The node's nat table: every Service a ClusterIP Service (kube-dns included) but the ingress controllers', which
    /// is a LoadBalancer Service with one LB IP under the ingress's externalTrafficPolicy. In closed form over the catalog's totals
    /// (Σ (2 + 3 nₛ) = 2 S + 3 E, every Service assumed to have an endpoint); only the LoadBalancer Service's local
    /// endpoints are counted, O(its endpoints).
    /// </summary>
    public IptablesRuleset Ruleset(int node)
    {
        int services = _catalog.Count;
        if (services == 0) return IptablesRuleset.Fixed;
        long endpoints = _catalog.TotalEndpoints;
        var clusterIps = new IptablesRuleset(NatRules: 2L * services + 3 * endpoints, NatChains: services + endpoints, KubeServicesRules: _rulesPerServicePort * (long)services);
        ReadOnlySpan<Endpoint> backends = _catalog.Endpoints(_catalog.IngressControllers, _catalog.CurrentVersion);
        int local = 0;
        foreach (Endpoint endpoint in backends)
            if (_pods.NodeOf(endpoint.Pod) == node) local++;
        bool policyLocal = _ingress.ExternalTrafficPolicy == ExternalTrafficPolicy.Local;
        IptablesRuleset loadBalancer = IptablesRuleset.LoadBalancer(backends.Length, local, policyLocal, IngressLoadBalancerIps);
        IptablesRuleset asClusterIp = IptablesRuleset.ClusterIp(backends.Length);
        return IptablesRuleset.Fixed + clusterIps + loadBalancer
            + new IptablesRuleset(-asClusterIp.NatRules, -asClusterIp.NatChains, -asClusterIp.KubeServicesRules);
    }

    public void ConnectionClosed(int node, Endpoint endpoint)
    {
    }
}
