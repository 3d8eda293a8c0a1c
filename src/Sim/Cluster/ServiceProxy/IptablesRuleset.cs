namespace ClusterNetPerf.Sim.Cluster.ServiceProxy;

/// <summary>
/// The size of the nat table kube-proxy's iptables mode writes on one node, in closed form, as syncProxyRules in
/// pkg/proxy/iptables/proxier.go (release-1.33) generates it: rules (<c>-A</c> lines, the figure of
/// <c>kubeproxy_sync_proxy_rules_iptables_total{table="nat"}</c>) and chains (<c>:CHAIN</c> lines).
/// </summary>
/// <remarks>
/// Assumes kube-proxy's defaults as its own tests run them (NewFakeProxier): a local-traffic detector (so KUBE-SVC
/// carries the "masquerade off-cluster traffic" rule), no masqueradeAll, nodePortAddresses matching all (one
/// KUBE-NODEPORTS jump at the end of KUBE-SERVICES) and no localhost-NodePort nfacct rule. The counts equal
/// TestNumberIptablesRules in pkg/proxy/iptables/number_generated_rules_test.go.
/// </remarks>
public readonly record struct IptablesRuleset(long NatRules, long NatChains, long KubeServicesRules)
{
    /// <summary>
    /// Written on every sync whatever the Services: KUBE-POSTROUTING's three rules (RETURN unless marked, clear the
    /// mark, MASQUERADE), KUBE-MARK-MASQ's one, and the final KUBE-SERVICES → KUBE-NODEPORTS jump; chains
    /// KUBE-SERVICES, KUBE-NODEPORTS, KUBE-POSTROUTING, KUBE-MARK-MASQ.
    /// </summary>
    public static IptablesRuleset Fixed { get; } = new(NatRules: 5, NatChains: 4, KubeServicesRules: 1);

    /// <summary>Lines of the nat section of the iptables-restore input: rules and chain declarations.</summary>
    public long Lines => NatRules + NatChains;

    public static IptablesRuleset operator +(IptablesRuleset a, IptablesRuleset b) =>
        new(a.NatRules + b.NatRules, a.NatChains + b.NatChains, a.KubeServicesRules + b.KubeServicesRules);

    public static IptablesRuleset operator *(long count, IptablesRuleset a) =>
        new(count * a.NatRules, count * a.NatChains, count * a.KubeServicesRules);

    /// <summary>A ClusterIP Service port with <paramref name="endpoints"/> ready endpoints.</summary>
    /// <remarks>
    /// With no endpoints nothing goes in nat (a REJECT goes in filter). Otherwise: the KUBE-SERVICES cluster-IP rule
    /// (1); KUBE-SVC with its masquerade rule and one jump per endpoint (1 + n rules, 1 chain); a KUBE-SEP per endpoint
    /// with the hairpin masquerade and the DNAT (2n rules, n chains): 2 + 3n rules, 1 + n chains.
    /// </remarks>
    public static IptablesRuleset ClusterIp(int endpoints) =>
        endpoints == 0 ? default : new(NatRules: 2 + 3L * endpoints, NatChains: 1 + endpoints, KubeServicesRules: 1);

    /// <summary>A NodePort Service port (externalTrafficPolicy Cluster): the ClusterIP set, a KUBE-NODEPORTS rule and a KUBE-EXT chain (masquerade, jump to KUBE-SVC).</summary>
    public static IptablesRuleset NodePort(int endpoints) =>
        endpoints == 0 ? default : ClusterIp(endpoints) + new IptablesRuleset(NatRules: 1 + 2, NatChains: 1, KubeServicesRules: 0);

    /// <summary>
    /// A LoadBalancer Service port with <paramref name="loadBalancerIps"/> ingress IPs, <paramref name="externalIps"/>
    /// external IPs and <paramref name="sourceRanges"/> loadBalancerSourceRanges (none contains the node's IP).
    /// </summary>
    /// <param name="endpoints">Ready endpoints cluster-wide.</param>
    /// <param name="localEndpoints">Of those, the ones on this node (used only with the Local policy).</param>
    /// <param name="externalPolicyLocal">externalTrafficPolicy: Local.</param>
    /// <remarks>
    /// The NodePort set plus a KUBE-SERVICES rule per LB IP and external IP. With sourceRanges, a KUBE-FW chain: a
    /// rule per range and the closing "other traffic" rule. With the Local policy the KUBE-EXT chain instead has the
    /// pod-traffic short-circuit, the masquerade and redirect of LOCAL-source traffic, and (when this node has local
    /// endpoints, k &gt; 0) the jump to a KUBE-SVL chain with one rule per local endpoint; KUBE-SEP chains exist for every
    /// endpoint (internal traffic still uses Cluster).
    /// </remarks>
    public static IptablesRuleset LoadBalancer(int endpoints, int localEndpoints, bool externalPolicyLocal,
        int loadBalancerIps = 1, int externalIps = 0, int sourceRanges = 0)
    {
        if (endpoints == 0) return default;
        int captures = loadBalancerIps + externalIps;
        var firewall = sourceRanges > 0 && loadBalancerIps > 0 ? new IptablesRuleset(sourceRanges + 1, 1, 0) : default;
        var frontDoors = new IptablesRuleset(NatRules: captures, NatChains: 0, KubeServicesRules: captures);
        if (!externalPolicyLocal) return NodePort(endpoints) + frontDoors + firewall;
        bool hasLocal = localEndpoints > 0;
        var external = new IptablesRuleset(NatRules: 1 + 3 + (hasLocal ? 1 + localEndpoints : 0), NatChains: 1 + (hasLocal ? 1 : 0), KubeServicesRules: 0);
        return ClusterIp(endpoints) + external + frontDoors + firewall;
    }
}
