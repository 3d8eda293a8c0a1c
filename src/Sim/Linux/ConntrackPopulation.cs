namespace ClusterNetPerf.Sim.Linux;

/// <summary>
/// Live conntrack entries as the GC worker's adaptive interval sees them: per state, how many, and
/// the sum of their deadlines (which gives the sum of their remaining timeouts at any instant).
/// O(1) per change, O(states) memory.
/// </summary>
public sealed class ConntrackPopulation
{
    private readonly int[] _live;
    private readonly Int128[] _deadlineSum;

    public ConntrackPopulation()
    {
        int states = Enum.GetValues<ConntrackState>().Length;
        _live = new int[states];
        _deadlineSum = new Int128[states];
    }

    /// <summary>Live entries in <paramref name="state"/>.</summary>
    public int LiveIn(ConntrackState state) => _live[(int)state];

    /// <summary>The sum of the deadlines (ns) of the live entries in <paramref name="state"/>.</summary>
    public Int128 DeadlineSumIn(ConntrackState state) => _deadlineSum[(int)state];

    /// <summary>An entry entered <paramref name="state"/> with <paramref name="deadlineNs"/>.</summary>
    public void Add(ConntrackState state, long deadlineNs)
    {
        _live[(int)state]++;
        _deadlineSum[(int)state] += deadlineNs;
    }

    /// <summary>An entry left <paramref name="state"/> (a state change, expiry or kill).</summary>
    public void Remove(ConntrackState state, long deadlineNs)
    {
        _live[(int)state]--;
        _deadlineSum[(int)state] -= deadlineNs;
    }
}
