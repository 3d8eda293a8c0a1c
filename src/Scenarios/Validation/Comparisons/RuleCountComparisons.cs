using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using static ClusterNetPerf.Scenarios.Validation.ValidationSuite;

namespace ClusterNetPerf.Scenarios.Validation.Comparisons;

/// <summary>The iptables ruleset kube-proxy writes, against its own rule-count test and kubernetes#14099.</summary>
internal static class RuleCountComparisons
{
    private const string NumberGeneratedRulesTest = "kubernetes/kubernetes pkg/proxy/iptables/number_generated_rules_test.go (release-1.33), TestNumberIptablesRules";
    private static readonly int[] ServiceCounts = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000];

    public static IEnumerable<ValidationGroup> Groups()
    {
        var points = new (int Services, int Endpoints, long Rules)[] { (1, 2, 13L), (10, 2, 85L), (10, 10, 325L) };
        var rows = new List<ValidationRow>();
        foreach ((int services, int endpoints, long expected) in points)
        {
            rows.Add(Exact($"iptables nat rules, {services} ClusterIP Service(s) × {endpoints} endpoints", NumberGeneratedRulesTest,
                expected, NatRules(services, endpoints), "IptablesRuleset.Fixed + services × ClusterIp(endpoints), closed form."));
        }
        rows.Add(new ValidationRow("iptables rules, 1,152 Services", "kubernetes/kubernetes#14099", 9_508, NatRules(1_152, 2), 0, 0.05, false,
            "Assumes 2 endpoints per Service (the issue does not give endpoint counts) and today's chain layout; the issue's "
            + "2015 kube-proxy wrote a different layout, so only the order of magnitude is meaningful."));
        var chart = new Chart("iptables nat rules vs Services", "Services", "nat rules (count)",
        [
            Series("model, 2 endpoints per Service", ServiceCounts.Select(s => ((double)s, (double)NatRules(s, 2), 0.0))),
            Series("model, 10 endpoints per Service", ServiceCounts.Select(s => ((double)s, (double)NatRules(s, 10), 0.0))),
        ])
        {
            Markers =
            [
                Series("TestNumberIptablesRules", points.Select(p => ((double)p.Services, (double)p.Rules, 0.0))),
                Series("kubernetes#14099", [(1_152, 9_508, 0)]),
            ],
            LogarithmicY = true,
        };
        yield return new ValidationGroup(rows, "iptables-rules", chart);
    }

    /// <summary>The nat rules of <paramref name="services"/> ClusterIP Services of <paramref name="endpoints"/> endpoints each.</summary>
    public static long NatRules(int services, int endpoints) => (IptablesRuleset.Fixed + services * IptablesRuleset.ClusterIp(endpoints)).NatRules;
}
