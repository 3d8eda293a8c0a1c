using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using MathNet.Numerics.Statistics;

namespace ClusterNetPerf.Scenarios.Validation;

/// <summary>
/// One replication of a <see cref="Cpu"/> whose cores share one queue, fed Poisson jobs of exponential (M/M/c) or fixed
/// (M/D/c) work at a utilisation per core: the queue the library puts in front of a node's softirq and kube-proxy work.
/// Jobs go straight to <see cref="Cpu.Process(SimTime, SimTime)"/> in arrival order (a FIFO queue needs no events).
/// </summary>
internal static class CpuQueueRun
{
    /// <summary>Per-job figures over the measured jobs, in units of the mean work (so a closed form's 1/μ is 1).</summary>
    public readonly record struct Outcome(double MeanWait, double WaitedFraction, double SojournP95);

    /// <param name="cores">Cores sharing the queue (c).</param>
    /// <param name="utilisation">ρ = λ / (cμ), below 1.</param>
    /// <param name="exponentialWork">Exponential work of mean 1/μ (M/M/c); otherwise every job takes 1/μ (M/D/c).</param>
    /// <param name="warmUpJobs">Jobs run from an empty queue before measuring.</param>
    /// <param name="jobs">Jobs measured.</param>
    public static Outcome Run(int cores, double utilisation, bool exponentialWork, int warmUpJobs, int jobs, ulong seed)
    {
        const double meanWorkNs = 1_000_000;
        var streams = new RandomStreams(seed);
        System.Random gaps = streams.Stream("gaps");
        System.Random work = streams.Stream("work");
        var cpu = new Cpu("validation", cores);
        double meanGapNs = meanWorkNs / (utilisation * cores);
        var sojourns = new double[jobs];
        double waitSum = 0;
        long waited = 0;
        long now = 0;
        for (int i = -warmUpJobs; i < jobs; i++)
        {
            now += (long)Math.Round(meanGapNs * -Math.Log(1 - gaps.NextDouble()));
            long workNs = exponentialWork ? (long)Math.Round(meanWorkNs * -Math.Log(1 - work.NextDouble())) : (long)meanWorkNs;
            long doneNs = cpu.Process(new SimTime(now), new SimTime(workNs)).Nanoseconds;
            if (i < 0) continue;
            long waitNs = doneNs - workNs - now;
            waitSum += waitNs;
            if (waitNs > 0) waited++;
            sojourns[i] = (doneNs - now) / meanWorkNs;
        }
        return new Outcome(waitSum / jobs / meanWorkNs, (double)waited / jobs, ArrayStatistics.QuantileInplace(sojourns, 0.95));
    }
}
