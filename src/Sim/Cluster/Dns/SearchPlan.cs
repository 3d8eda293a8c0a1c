namespace ClusterNetPerf.Sim.Cluster.Dns;

/// <summary>
/// The names glibc's resolver tries for one lookup, in order, and so the A/AAAA query pairs
/// it sends: <c>__res_context_search</c> (bminor/glibc resolv/res_query.c, glibc 2.34 and
/// later). A name with at least <c>ndots</c> dots (or a trailing dot) is tried as it is first;
/// then, unless it had a trailing dot, each search domain in turn (RES_DEFNAMES and RES_DNSRCH
/// are on by default); then, if not tried yet, the name as it is. The search stops at the first
/// name that is answered (NXDOMAIN and NODATA go on to the next).
/// </summary>
/// <remarks>
/// A pod of <c>dnsPolicy: ClusterFirst</c> gets <c>search &lt;ns&gt;.svc.cluster.local
/// svc.cluster.local cluster.local</c> (plus the node's own search domains) and
/// <c>options ndots:5</c> (kubernetes/website content/en/docs/concepts/services-networking/dns-pod-service.md).
/// Each name tried is one call of <c>__res_context_query</c>: an A and an AAAA query sent
/// together (getaddrinfo's T_QUERY_A_AND_AAAA).
/// </remarks>
public readonly record struct SearchPlan
{
    /// <summary>The answering name is the name as it is, not one of the search list's.</summary>
    public const int AbsoluteName = -1;

    /// <summary>The Kubernetes search domains of a ClusterFirst pod, all in the cluster's zone.</summary>
    public const int ClusterSearchDomains = 3;

    private SearchPlan(bool absoluteFirst, int searchDomainsTried, bool absoluteLast)
    {
        AbsoluteFirst = absoluteFirst;
        SearchDomainsTried = searchDomainsTried;
        AbsoluteLast = absoluteLast;
    }

    /// <summary>The name as it is was tried before the search list.</summary>
    public bool AbsoluteFirst { get; }

    /// <summary>Search domains tried, from the first.</summary>
    public int SearchDomainsTried { get; }

    /// <summary>The name as it is was tried after the search list.</summary>
    public bool AbsoluteLast { get; }

    /// <summary>Query pairs (A and AAAA) the lookup sends.</summary>
    public int Pairs => (AbsoluteFirst ? 1 : 0) + SearchDomainsTried + (AbsoluteLast ? 1 : 0);

    /// <summary>
    /// The plan for a name of <paramref name="dots"/> dots (and a trailing dot or not) under
    /// <paramref name="ndots"/> and <paramref name="searchDomains"/> search domains, when the
    /// name is answered by search domain <paramref name="answeredBy"/> (0-based) or, with
    /// <see cref="AbsoluteName"/>, only as it is.
    /// </summary>
    public static SearchPlan For(int dots, bool trailingDot, int ndots, int searchDomains, int answeredBy)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dots);
        ArgumentOutOfRangeException.ThrowIfNegative(searchDomains);
        if (answeredBy != AbsoluteName && (answeredBy < 0 || answeredBy >= searchDomains))
            throw new ArgumentOutOfRangeException(nameof(answeredBy), answeredBy, "Not a search domain of the list.");
        bool absoluteFirst = dots >= ndots || trailingDot;
        if (absoluteFirst && (trailingDot || answeredBy == AbsoluteName)) return new SearchPlan(true, 0, false);
        int tried = answeredBy == AbsoluteName ? searchDomains : answeredBy + 1;
        return new SearchPlan(absoluteFirst, tried, absoluteLast: !absoluteFirst && answeredBy == AbsoluteName);
    }

    /// <summary>
    /// The search domain the pair numbered <paramref name="pair"/> (0-based) asks under, or
    /// <see cref="AbsoluteName"/> for the name as it is.
    /// </summary>
    public int SearchDomainOf(int pair)
    {
        if (AbsoluteFirst && pair == 0) return AbsoluteName;
        int domain = pair - (AbsoluteFirst ? 1 : 0);
        return domain < SearchDomainsTried ? domain : AbsoluteName;
    }
}
