using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Linux;

/// <summary>
/// An iptables chain whose rules are matched in order (ipt_do_table): a packet that matches
/// the rule at position k (from 0) has evaluated k + 1 rules; one that matches none has
/// evaluated them all. The cost is that count times the per-rule cost, computed, not walked.
/// </summary>
public readonly record struct NatRuleChain(long Rules, SimTime PerRule)
{
    /// <summary>Rules evaluated by a packet that matches the rule at <paramref name="position"/>.</summary>
    public long RulesEvaluatedToMatch(long position)
    {
        if (position < 0 || position >= Rules) throw new ArgumentOutOfRangeException(nameof(position), $"The chain has {Rules} rules.");
        return position + 1;
    }

    /// <summary>The cost of reaching a match at <paramref name="position"/>.</summary>
    public SimTime CostToMatch(long position) => new(RulesEvaluatedToMatch(position) * PerRule.Nanoseconds);

    /// <summary>The cost of a walk that matches nothing.</summary>
    public SimTime CostOfFullWalk => new(Rules * PerRule.Nanoseconds);
}
