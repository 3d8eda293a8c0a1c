namespace ClusterNetPerf.Sim.Statistics;

/// <summary>
/// A count that changes at instants (ports in use, entries in a table) and its time-weighted
/// mean and peak since a start time. O(1) per change, no allocation: a mutable struct held in
/// a field or array element of its owner, never copied.
/// </summary>
internal struct TimeAverage
{
    private long _startNs;
    private long _lastChangeNs;
    private double _areaNs;

    /// <summary>The count now.</summary>
    public int Level { get; private set; }

    /// <summary>The highest count since the start.</summary>
    public int Peak { get; private set; }

    /// <summary>Adds <paramref name="delta"/> at <paramref name="nowNs"/>, which must not go back in time.</summary>
    public void Change(long nowNs, int delta)
    {
        _areaNs += (double)Level * (nowNs - _lastChangeNs);
        _lastChangeNs = nowNs;
        Level += delta;
        if (Level > Peak) Peak = Level;
    }

    /// <summary>The time-weighted mean count from the start to <paramref name="nowNs"/>; the level itself over an empty window.</summary>
    public readonly double Mean(long nowNs)
    {
        long window = nowNs - _startNs;
        return window <= 0 ? Level : (_areaNs + (double)Level * (nowNs - _lastChangeNs)) / window;
    }

    /// <summary>Restarts the window at <paramref name="nowNs"/> (e.g. after warm-up); the level is kept and becomes the peak.</summary>
    public void Restart(long nowNs)
    {
        _startNs = nowNs;
        _lastChangeNs = nowNs;
        _areaNs = 0;
        Peak = Level;
    }
}
