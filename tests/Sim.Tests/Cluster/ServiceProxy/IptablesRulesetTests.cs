using ClusterNetPerf.Sim.Cluster.ServiceProxy;

namespace ClusterNetPerf.Sim.Tests.Cluster.ServiceProxy;

/// <summary>
/// The nat-table size kube-proxy writes, against its own generator: syncProxyRules in
/// pkg/proxy/iptables/proxier.go (release-1.33) and the table of TestNumberIptablesRules in
/// pkg/proxy/iptables/number_generated_rules_test.go.
/// </summary>
public sealed class IptablesRulesetTests
{
    /// <summary>TestNumberIptablesRules' ClusterIP rows: (services, endpoints per service) → expectedNatRules.</summary>
    [Theory]
    [InlineData(0, 0, 5)]
    [InlineData(1, 0, 5)]
    [InlineData(1, 1, 10)]
    [InlineData(1, 2, 13)]
    [InlineData(1, 10, 37)]
    [InlineData(10, 0, 5)]
    [InlineData(10, 1, 55)]
    [InlineData(10, 2, 85)]
    [InlineData(10, 10, 325)]
    public void ClusterIp_rule_counts_equal_kube_proxys_own_test(int services, int endpoints, long expectedNatRules)
    {
        IptablesRuleset table = IptablesRuleset.Fixed + services * IptablesRuleset.ClusterIp(endpoints);
        Assert.Equal(expectedNatRules, table.NatRules);
    }

    [Fact]
    public void ClusterIp_chains_are_the_four_fixed_ones_plus_a_svc_and_a_sep_per_endpoint()
    {
        // :KUBE-SERVICES :KUBE-NODEPORTS :KUBE-POSTROUTING :KUBE-MARK-MASQ, then KUBE-SVC-x and 3 × KUBE-SEP-y.
        Assert.Equal(4 + 1 + 3, (IptablesRuleset.Fixed + IptablesRuleset.ClusterIp(3)).NatChains);
        Assert.Equal(1 + 1, (IptablesRuleset.Fixed + IptablesRuleset.ClusterIp(3)).KubeServicesRules);
    }

    /// <summary>
    /// NodePort, externalTrafficPolicy Cluster, n = 2: the ClusterIP set (2 + 3n = 8) plus "-A KUBE-NODEPORTS … -j KUBE-EXT-x"
    /// (the "Capture nodeports" block) and KUBE-EXT's two rules ("masquerade traffic for … external destinations",
    /// then "-A KUBE-EXT-x -j KUBE-SVC-x"): 11 rules; chains KUBE-SVC, KUBE-EXT, 2 × KUBE-SEP.
    /// </summary>
    [Fact]
    public void NodePort_adds_the_nodeports_rule_and_the_ext_chain()
    {
        IptablesRuleset service = IptablesRuleset.NodePort(2);
        Assert.Equal(11, service.NatRules);
        Assert.Equal(4, service.NatChains);
        Assert.Equal(1, service.KubeServicesRules);
    }

    /// <summary>
    /// LoadBalancer, one LB IP, externalTrafficPolicy Local, n = 3 endpoints of which k on this node. Rules: KUBE-SERVICES
    /// cluster IP and "loadbalancer IP" (2); KUBE-NODEPORTS (1); KUBE-SVC masquerade + 3 jumps (4); 3 × KUBE-SEP (6);
    /// KUBE-EXT "pod traffic … -j KUBE-SVC", "masquerade LOCAL traffic", "route LOCAL traffic" (3) and, with k &gt; 0,
    /// "-A KUBE-EXT -j KUBE-SVL" (1) and KUBE-SVL's k jumps ("usesLocalPolicyChain"). k = 1: 18 rules (k = 2: 19), chains SVC, EXT,
    /// SVL, 3 × SEP = 6. k = 0: no KUBE-SVL and no fall-through jump (traffic is dropped in filter): 16 rules, 5 chains.
    /// </summary>
    [Theory]
    [InlineData(1, 18, 6)]
    [InlineData(2, 19, 6)]
    [InlineData(0, 16, 5)]
    public void LoadBalancer_with_Local_policy_writes_svl_only_where_the_node_has_endpoints(int local, long rules, long chains)
    {
        IptablesRuleset service = IptablesRuleset.LoadBalancer(endpoints: 3, localEndpoints: local, externalPolicyLocal: true);
        Assert.Equal(rules, service.NatRules);
        Assert.Equal(chains, service.NatChains);
        Assert.Equal(2, service.KubeServicesRules);
    }

    [Fact]
    public void LoadBalancer_with_Cluster_policy_is_the_nodeport_set_plus_one_capture_per_lb_ip()
    {
        Assert.Equal(IptablesRuleset.NodePort(4).NatRules + 2, IptablesRuleset.LoadBalancer(4, 0, externalPolicyLocal: false, loadBalancerIps: 2).NatRules);
    }

    [Fact]
    public void A_service_without_endpoints_writes_nothing_in_nat()
    {
        Assert.Equal(default, IptablesRuleset.ClusterIp(0));
        Assert.Equal(default, IptablesRuleset.LoadBalancer(0, 0, externalPolicyLocal: true));
    }
}
