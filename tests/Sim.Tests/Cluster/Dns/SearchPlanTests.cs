using ClusterNetPerf.Sim.Cluster.Dns;

namespace ClusterNetPerf.Sim.Tests.Cluster.Dns;

/// <summary>
/// The query pairs of one lookup, by glibc's __res_context_search (resolv/res_query.c), worked
/// by hand for names a pod looks up under the Kubernetes search list
/// (<c>&lt;ns&gt;.svc.cluster.local svc.cluster.local cluster.local</c>, ndots:5).
/// </summary>
public sealed class SearchPlanTests
{
    private const int Absolute = SearchPlan.AbsoluteName;

    [Theory]
    // "backend": a Service of the pod's namespace; backend.<ns>.svc.cluster.local answers at once.
    [InlineData(0, false, 5, 3, 0, 1)]
    // "backend.other": another namespace; backend.other.<ns>.svc.cluster.local is NXDOMAIN, backend.other.svc.cluster.local answers.
    [InlineData(1, false, 5, 3, 1, 2)]
    // "api.example.com": NXDOMAIN under each of the three search domains, then the name itself.
    [InlineData(2, false, 5, 3, Absolute, 4)]
    // With one more search domain, as in Scaling_CoreDNS.md ("a single client query actually generates 5 backend queries").
    [InlineData(2, false, 5, 4, Absolute, 5)]
    // "backend.ns.svc.cluster.local" has only 4 dots: it too goes through the whole search list first.
    [InlineData(4, false, 5, 3, Absolute, 4)]
    // ndots:2 makes "api.example.com" absolute at once.
    [InlineData(2, false, 2, 3, Absolute, 1)]
    // A trailing dot is tried as it is and only so.
    [InlineData(2, true, 5, 3, Absolute, 1)]
    // Enough dots but answered by a search domain: the name itself (NXDOMAIN) first, then the domains up to the answering one.
    [InlineData(5, false, 5, 3, 1, 3)]
    // No search domains: the name itself, once.
    [InlineData(0, false, 5, 0, Absolute, 1)]
    public void Pairs_follow_glibcs_search_order(int dots, bool trailingDot, int ndots, int searchDomains, int answeredBy, int pairs)
    {
        Assert.Equal(pairs, SearchPlan.For(dots, trailingDot, ndots, searchDomains, answeredBy).Pairs);
    }

    [Fact]
    public void An_external_name_below_ndots_tries_each_search_domain_in_order_then_itself()
    {
        SearchPlan plan = SearchPlan.For(dots: 2, trailingDot: false, ndots: 5, searchDomains: 4, SearchPlan.AbsoluteName);
        Assert.Equal([0, 1, 2, 3, Absolute], Enumerable.Range(0, plan.Pairs).Select(plan.SearchDomainOf));
    }

    [Fact]
    public void A_name_with_enough_dots_is_tried_as_it_is_before_the_search_list()
    {
        SearchPlan plan = SearchPlan.For(dots: 5, trailingDot: false, ndots: 5, searchDomains: 3, answeredBy: 1);
        Assert.Equal([Absolute, 0, 1], Enumerable.Range(0, plan.Pairs).Select(plan.SearchDomainOf));
    }
}
