using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Statistics;

/// <summary>
/// The time-average and peak of a piecewise-constant quantity, such as a queue length or a
/// conntrack table's occupancy: the quantity holds its value until the next
/// <see cref="Update"/>, and the mean weights each value by how long it was held.
/// </summary>
/// <remarks>
/// Time is accumulated as <see cref="SimTime"/> (integer nanoseconds), never as double
/// seconds; the area is the sum of value × nanoseconds held, a double summed with Neumaier
/// compensation so that millions of updates in a long run do not accumulate rounding error.
/// Every member is O(1) and allocation-free. Invariant: updates arrive in non-decreasing time.
/// </remarks>
public sealed class TimeWeightedAverage
{
    private SimTime _windowStart;
    private SimTime _lastChange;
    private double _area;
    private double _areaCompensation;

    /// <summary>Starts tracking at <paramref name="start"/> with <paramref name="initialValue"/>.</summary>
    /// <param name="start">The time the window opens.</param>
    /// <param name="initialValue">The value held from <paramref name="start"/> until the first update.</param>
    public TimeWeightedAverage(SimTime start, double initialValue = 0)
    {
        Value = initialValue;
        StartWindow(start);
    }

    /// <summary>The value held now.</summary>
    public double Value { get; private set; }

    /// <summary>The highest value held in the window (the value held when the window opened included).</summary>
    public double Peak { get; private set; }

    /// <summary>When the current window opened.</summary>
    public SimTime WindowStart => _windowStart;

    /// <summary>The quantity changes to <paramref name="newValue"/> at <paramref name="now"/>. O(1).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="now"/> is before the previous update.</exception>
    public void Update(SimTime now, double newValue)
    {
        AddArea(HeldSince(now));
        _lastChange = now;
        Value = newValue;
        if (newValue > Peak) Peak = newValue;
    }

    /// <summary>
    /// The time-average over the window from <see cref="WindowStart"/> to <paramref name="now"/>,
    /// counting the current value as held until <paramref name="now"/>. O(1).
    /// </summary>
    /// <returns>The average; the current value when the window has zero length.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="now"/> is before the last update.</exception>
    public double Mean(SimTime now)
    {
        double pending = HeldSince(now);
        long windowNs = (now - _windowStart).Nanoseconds;
        // A window of zero length has seen only the current value.
        return windowNs == 0 ? Value : (_area + _areaCompensation + pending) / windowNs;
    }

    /// <summary>
    /// Discards the history before <paramref name="now"/> and opens a new window there, keeping
    /// the current value (it is still held): the call to make at the end of warm-up. The peak
    /// restarts from the current value.
    /// </summary>
    public void StartWindow(SimTime now)
    {
        _windowStart = now;
        _lastChange = now;
        _area = 0;
        _areaCompensation = 0;
        Peak = Value;
    }

    private double HeldSince(SimTime now)
    {
        if (now < _lastChange)
            throw new ArgumentOutOfRangeException(nameof(now), now, $"Time went backwards: the last update was at {_lastChange}.");
        return Value * (now - _lastChange).Nanoseconds;
    }

    private void AddArea(double term)
    {
        // Neumaier's variant of Kahan summation: keeps the low-order bits the running sum drops.
        double sum = _area + term;
        _areaCompensation += Math.Abs(_area) >= Math.Abs(term) ? (_area - sum) + term : (term - sum) + _area;
        _area = sum;
    }
}
