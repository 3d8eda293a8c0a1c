namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>
/// Closed forms of classic queues that the validation tests hold the simulator to. Rates are
/// per unit of time, whatever the caller's unit; results are in the same unit.
/// </summary>
internal static class QueueingTheory
{
    /// <summary>
    /// Erlang B: the blocking probability of an M/G/c/c loss system offered
    /// <paramref name="offered"/> erlangs (λ/μ). The recursion B(k) = a·B(k−1)/(k + a·B(k−1))
    /// stays within [0, 1], unlike the textbook ratio of a^c/c! sums.
    /// </summary>
    public static double ErlangB(double offered, int servers)
    {
        double b = 1;
        for (int k = 1; k <= servers; k++) b = offered * b / (k + offered * b);
        return b;
    }

    /// <summary>Erlang C: the probability that an arrival at an M/M/c queue waits; needs offered &lt; servers.</summary>
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

    /// <summary>M/M/1 mean number in system: ρ / (1 − ρ).</summary>
    public static double MM1MeanNumberInSystem(double arrivalRate, double serviceRate)
    {
        double rho = arrivalRate / serviceRate;
        return rho / (1 - rho);
    }

    /// <summary>M/D/1 mean wait in queue by Pollaczek–Khinchine: ρ / (2μ(1 − ρ)).</summary>
    public static double MD1MeanWait(double arrivalRate, double serviceRate)
    {
        double rho = arrivalRate / serviceRate;
        return rho / (2 * serviceRate * (1 - rho));
    }
}
