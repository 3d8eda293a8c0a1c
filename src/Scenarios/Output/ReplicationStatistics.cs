using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>
/// Mean and 95% confidence half-width over replications: t(0.975, n − 1) · s / √n with s the sample
/// standard deviation. Summed in the order given, so the result is the same bit for bit whenever the
/// inputs are. With fewer than two values the half-width is undefined (NaN, an empty CSV field).
/// </summary>
internal static class ReplicationStatistics
{
    public static (double Mean, double Ci95) Of(IReadOnlyList<double> values)
    {
        int n = values.Count;
        if (n == 0) return (double.NaN, double.NaN);
        double sum = 0;
        foreach (double value in values) sum += value;
        double mean = sum / n;
        if (n < 2) return (mean, double.NaN);
        double squares = 0;
        foreach (double value in values) squares += (value - mean) * (value - mean);
        double standardDeviation = Math.Sqrt(squares / (n - 1));
        return (mean, StudentT.InvCDF(0, 1, n - 1, 0.975) * standardDeviation / Math.Sqrt(n));
    }
}
