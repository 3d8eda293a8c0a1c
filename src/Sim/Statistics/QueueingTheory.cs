namespace ClusterNetPerf.Sim.Statistics;

/// <summary>
/// Closed forms of the classic queues that the library's components are validated against (the Sim validation tests
/// and the validation table). Rates are per unit of time, whatever the caller's unit; results are in the same unit.
/// </summary>
public static class QueueingTheory
{
    /// <summary>
    /// Erlang B: the blocking probability of an M/G/c/c loss system offered
    /// <paramref name="offered"/> erlangs (λ/μ). The recursion B(k) = a·B(k−1)/(k + a·B(k−1))
    /// stays within [0, 1], unlike the textbook ratio of a^c/c! sums. O(servers).
    /// </summary>
    public static double ErlangB(double offered, int servers)
    {
        double b = 1;
        for (int k = 1; k <= servers; k++) b = offered * b / (k + offered * b);
        return b;
    }

    /// <summary>Erlang C: the probability that an arrival at an M/M/c queue waits; needs offered &lt; servers.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The queue is unstable.</exception>
    public static double ErlangC(double offered, int servers)
    {
        if (offered >= servers) throw new ArgumentOutOfRangeException(nameof(offered), "The queue is unstable: offered load ≥ servers.");
        double b = ErlangB(offered, servers);
        double rho = offered / servers;
        return b / (1 - rho * (1 - b));
    }

    /// <summary>M/M/c mean wait in queue: C(c, λ/μ) / (cμ − λ).</summary>
    public static double MMcMeanWait(double arrivalRate, double serviceRate, int servers) =>
        ErlangC(arrivalRate / serviceRate, servers) / (servers * serviceRate - arrivalRate);

    /// <summary>M/M/1 mean sojourn (wait + service): 1 / (μ − λ).</summary>
    public static double MM1MeanSojourn(double arrivalRate, double serviceRate) => 1 / (serviceRate - arrivalRate);

    /// <summary>
    /// M/M/1 sojourn quantile: under FIFO the sojourn is exponential of rate μ − λ, so its <paramref name="q"/> quantile
    /// is −ln(1 − q) / (μ − λ).
    /// </summary>
    public static double MM1SojournQuantile(double arrivalRate, double serviceRate, double q) => -Math.Log(1 - q) / (serviceRate - arrivalRate);

    /// <summary>M/M/1 mean number in system: ρ / (1 − ρ).</summary>
    public static double MM1MeanNumberInSystem(double arrivalRate, double serviceRate)
    {
        double rho = arrivalRate / serviceRate;
        return rho / (1 - rho);
    }

    /// <summary>M/D/1 mean wait in queue by Pollaczek–Khinchine (service variance 0): ρ / (2μ(1 − ρ)).</summary>
    public static double MD1MeanWait(double arrivalRate, double serviceRate)
    {
        double rho = arrivalRate / serviceRate;
        return rho / (2 * serviceRate * (1 - rho));
    }
}
