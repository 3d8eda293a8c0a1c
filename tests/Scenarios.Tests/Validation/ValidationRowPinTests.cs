using ClusterNetPerf.Scenarios.Validation;

namespace ClusterNetPerf.Scenarios.Tests.Validation;

/// <summary>
/// Pins each comparison added from model runs (kube-proxy CPU, first-packet percentiles, rule programming, nftables
/// syncs, CoreDNS, the Cpu queue against queueing theory): its verdict, and its ratio simulated ÷ published inside a band around today's value, so a model
/// change that moves a figure (or turns a disagreement into an agreement) is seen here, not only in the generated table.
/// </summary>
public sealed class ValidationRowPinTests
{
    [Theory]
    [InlineData("kube-proxy iptables CPU (fraction of a core), 10,000 Services", ValidationVerdict.ExplainedDisagreement, 0.55, 0.6)]
    [InlineData("kube-proxy IPVS CPU (fraction of a core)", ValidationVerdict.ExplainedDisagreement, 0.02, 0.05)]
    [InlineData("iptables − IPVS CPU at 1,000 Services", ValidationVerdict.Agrees, 0.85, 0.98)]
    [InlineData("kube-proxy iptables CPU with keep-alive", ValidationVerdict.Agrees, 0.08, 0.12)]
    [InlineData("nftables p50 ÷ iptables p01 first-packet work, 5,000 Services", ValidationVerdict.Agrees, 0.8, 1.0)]
    [InlineData("nftables p50 ÷ iptables p01 first-packet work, 10,000 Services", ValidationVerdict.Agrees, 0.55, 0.7)]
    [InlineData("nftables p99 ÷ iptables p01 first-packet work, 30,000 Services", ValidationVerdict.Agrees, 0.2, 0.35)]
    [InlineData("KEP-3453: network programming p50 with partial restores", ValidationVerdict.ExplainedDisagreement, 1.8, 2.1)]
    [InlineData("KEP-3453: network programming p50 with min-sync-period 1 s", ValidationVerdict.ExplainedDisagreement, 1.2, 1.6)]
    [InlineData("Network programming latency p99 under the 30 s SLO", ValidationVerdict.Agrees, 0.3, 0.5)]
    [InlineData("Network programming latency p99 (s), iptables, 5,000 Services", ValidationVerdict.Agrees, 1.0, 1.25)]
    [InlineData("iptables nat rules, 5,000 Services × 2 endpoints", ValidationVerdict.Agrees, 0.999, 1.001)]
    [InlineData("iptables nat rules, 20,000 Services × 2 endpoints", ValidationVerdict.Agrees, 0.999, 1.001)]
    [InlineData("Rule programming time (s), 5,000 Services", ValidationVerdict.ExplainedDisagreement, 0.001, 0.01)]
    [InlineData("Rule programming time growth exponent", ValidationVerdict.ExplainedDisagreement, 0.4, 0.45)]
    [InlineData("nftables full sync (s), 5,006 Services", ValidationVerdict.Agrees, 0.98, 1.02)]
    [InlineData("nftables full sync (s), 44,125 Services", ValidationVerdict.ExplainedDisagreement, 0.9, 0.97)]
    [InlineData("nftables partial sync (s)", ValidationVerdict.Agrees, 0.95, 1.05)]
    [InlineData("nftables full sync (s) at 10,000 Services", ValidationVerdict.ExplainedDisagreement, 0.15, 0.3)]
    [InlineData("CoreDNS queries/s per core, whole-cluster run", ValidationVerdict.Agrees, 0.97, 1.03)]
    [InlineData("Cpu, 1 core, M/M/1 at ρ = 0.7: mean wait", ValidationVerdict.Agrees, 0.96, 1.04)]
    [InlineData("Cpu, same M/M/1: 95th percentile of the sojourn", ValidationVerdict.Agrees, 0.97, 1.03)]
    [InlineData("Cpu, 1 core, M/D/1 at ρ = 0.7: mean wait", ValidationVerdict.Agrees, 0.98, 1.02)]
    [InlineData("Cpu, 4 cores sharing one queue, M/M/4 at ρ = 0.7: probability of waiting", ValidationVerdict.Agrees, 0.98, 1.02)]
    [InlineData("Cpu, same M/M/4: mean wait", ValidationVerdict.Agrees, 0.95, 1.05)]
    public void Row_keeps_its_verdict_and_ratio(string what, ValidationVerdict verdict, double lowRatio, double highRatio)
    {
        ValidationRow row = Assert.Single(ValidationTableTests.Result.Value.Rows, row => row.What.StartsWith(what, StringComparison.Ordinal));
        Assert.Equal(verdict, row.Verdict);
        Assert.InRange(row.Ratio, lowRatio, highRatio);
    }

    /// <summary>A bound row agrees only when its whole interval is under the bound; a value row's tolerance is symmetric.</summary>
    [Fact]
    public void Bound_rows_need_the_interval_under_the_bound()
    {
        var under = new ValidationRow("x", "s", 1, 0.9, 0.05, 0, false, "n") { UpperBound = true };
        var straddles = under with { HalfWidth = 0.2, KnownDisagreement = true };
        Assert.Equal(ValidationVerdict.Agrees, under.Verdict);
        Assert.Equal(ValidationVerdict.ExplainedDisagreement, straddles.Verdict);
        Assert.Equal(ValidationVerdict.Disagrees, (under with { Simulated = 1.2 }).Verdict);
        Assert.Equal(ValidationVerdict.Agrees, (under with { UpperBound = false, Simulated = 1.04, HalfWidth = 0, Tolerance = 0.05 }).Verdict);
    }
}
