using System.Globalization;

namespace ClusterNetPerf.Sim.Cluster.ServiceProxy;

/// <summary>
/// A kube-proxy minor release and the sync behaviour that changed between releases. Scenario
/// files name it as <c>kubeProxy.version: "1.34"</c>; docs/kube-proxy.md lists the differences.
/// </summary>
/// <remarks>
/// Sources (kubernetes/kubernetes):
/// <list type="bullet">
/// <item>pkg/proxy/iptables/proxier.go before PR #96959 (first in 1.22, "Reorganized iptables rules to reduce rules in
/// KUBE-SERVICES"): each ClusterIP Service port put two rules in KUBE-SERVICES when clusterCIDR (or masqueradeAll) was
/// set, <c>-A KUBE-SERVICES ! -s clusterCIDR -d clusterIP --dport p -j KUBE-MARK-MASQ</c> beside the jump to KUBE-SVC;
/// the PR moved the masquerade rule to the top of KUBE-SVC. The nat rule count is the same either way.</item>
/// <item>From 1.19 to 1.25 every iptables sync is a full iptables-restore (no MinimizeIPTablesRestore code), run by
/// pkg/util/async's BoundedFrequencyRunner with burstSyncs 2 and a maxInterval of time.Hour (PR #81517, 1.17, which
/// replaced the syncPeriod resync with the KUBE-PROXY-CANARY monitor).</item>
/// <item>The range starts at 1.19, the first minor release whose every patch writes KUBE-POSTROUTING's three rules
/// (PR #92035, "unmark packets before masquerading them", merged for 1.19 and cherry-picked into late 1.16–1.18
/// patches), so <see cref="IptablesRuleset.Fixed"/> holds in every modelled release. NodePort and LoadBalancer chains
/// are modelled in the current layout (KUBE-EXT) in every release; before 1.24 they were written differently.</item>
/// <item>Partial iptables restores (KEP-3453, MinimizeIPTablesRestore): alpha, off, in 1.26; beta, on, from 1.27.</item>
/// <item>pkg/util/async/bounded_frequency_runner.go (to 1.33): a token bucket of <c>burstSyncs</c> = 2 at one token
/// per minSyncPeriod, taken when a sync starts, so min-sync-period is measured start to start (as issue #138073 observes).
/// PR #131615 (merged May 2025, after the 1.33 release) moved the runner to pkg/proxy/runner/bounded_frequency_runner.go,
/// dropped the burst and waits minSyncPeriod from the end of one sync to the start of the next.</item>
/// <item>Periodic full sync: from 1.26 to 1.32 the runner's one-hour maxInterval only ran a partial sync (issue #133767);
/// PR #129329 (issue #129128, first in 1.33) makes a sync full once <c>proxyutil.FullSyncPeriod</c> (1 h) has passed
/// since the last full one.</item>
/// <item>PR #138571 (merged April 2026, cherry-picked to release-1.34, -1.35 and -1.36 by #138637, #138636, #138635):
/// iptables mode does no periodic full sync in large cluster mode (more than 1,000 endpoints,
/// largeClusterEndpointsThreshold in pkg/proxy/iptables/proxier.go). nftables keeps its hourly full sync (the PR's review).</item>
/// </list>
/// </remarks>
public sealed record KubeProxyRelease
{
    /// <summary>The oldest release modelled (see the remarks: the first whose every patch has today's fixed nat rules).</summary>
    public const int OldestMinor = 19;
    /// <summary>The newest release modelled.</summary>
    public const int NewestMinor = 37;

    private KubeProxyRelease(int minor) => Minor = minor;

    /// <summary>The current release, the default: 1.36 (the newest branch #138571 was cherry-picked to).</summary>
    public static KubeProxyRelease Current { get; } = new(36);

    /// <summary>The minor version: 34 for "1.34".</summary>
    public int Minor { get; }

    /// <summary>Whether iptables syncs rewrite only the changed Services' chains (KEP-3453, on by default from 1.27).</summary>
    public bool PartialSyncs => Minor >= 27;

    /// <summary>
    /// KUBE-SERVICES rules per ClusterIP Service port: 2 before 1.22 (the off-cluster masquerade rule beside the jump,
    /// with clusterCIDR set, as the model assumes), 1 from 1.22 (PR #96959 moved the masquerade rule into KUBE-SVC).
    /// </summary>
    public int KubeServicesRulesPerServicePort => Minor >= 22 ? 1 : 2;

    /// <summary>Whether a sync is made full once FullSyncPeriod has passed since the last full sync (PR #129329, 1.33).</summary>
    public bool HourlyFullSync => Minor >= 33;

    /// <summary>Whether iptables mode skips the periodic full sync above 1,000 endpoints (PR #138571, patched into 1.34+).</summary>
    public bool NoPeriodicFullSyncInLargeClusters => Minor >= 34;

    /// <summary>
    /// Whether min-sync-period runs from the end of one sync to the start of the next with no burst (pkg/proxy/runner,
    /// PR #131615, 1.34); before, a token bucket of <see cref="BurstSyncs"/> spaced sync starts.
    /// </summary>
    public bool MinSyncPeriodFromCompletion => Minor >= 34;

    /// <summary>burstSyncs of the old runner (hard-coded 2 in every proxier's NewProxier); 1 once the burst was dropped.</summary>
    public int BurstSyncs => MinSyncPeriodFromCompletion ? 1 : 2;

    /// <summary>Parses "1.34" (a leading "v" and a patch number are accepted and the patch ignored); <paramref name="problem"/> says what was expected.</summary>
    public static bool TryParse(string text, out KubeProxyRelease release, out string problem)
    {
        release = Current;
        string[] parts = text.Trim().TrimStart('v').Split('.');
        if (parts.Length is < 2 or > 3 || parts[0] != "1" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor))
        {
            problem = "a kube-proxy release such as \"1.34\"";
            return false;
        }
        if (minor < OldestMinor || minor > NewestMinor)
        {
            problem = $"a kube-proxy release from 1.{OldestMinor} to 1.{NewestMinor} (the modelled range)";
            return false;
        }
        release = new KubeProxyRelease(minor);
        problem = "";
        return true;
    }

    /// <summary>Parses "1.34".</summary>
    /// <exception cref="ArgumentException">Not a modelled release.</exception>
    public static KubeProxyRelease Parse(string text) =>
        TryParse(text, out KubeProxyRelease release, out string problem) ? release : throw new ArgumentException($"expected {problem}, found '{text}'", nameof(text));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"1.{Minor}");
}
