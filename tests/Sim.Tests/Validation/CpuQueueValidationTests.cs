using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>
/// A multi-core <see cref="Cpu"/> against M/M/c (Erlang C) with one shared queue, and against
/// c independent M/M/1 queues when it steers each flow to one core (RSS) and flows are many.
/// </summary>
public sealed class CpuQueueValidationTests
{
    private const int Cores = 4;
    private const double Rho = 0.7;
    private const double MeanWorkNs = 1_000_000;
    private const int Jobs = 2_000_000;
    private const int Batches = 30;

    /// <summary>
    /// Poisson arrivals of exponential work at ρ per core on <paramref name="cpu"/>, each job of a random flow:
    /// whether each job waited (0/1) and how long, in arrival order.
    /// </summary>
    private static (double[] Waited, double[] Waits) RunJobs(Cpu cpu, ulong seed)
    {
        double mu = 1 / MeanWorkNs;
        double lambda = Rho * Cores * mu;
        var streams = new RandomStreams(seed);
        System.Random gaps = streams.Stream("gaps");
        System.Random work = streams.Stream("work");
        System.Random flows = streams.Stream("flows");
        var waited = new double[Jobs];
        var waits = new double[Jobs];
        long now = 0;
        for (int i = 0; i < Jobs; i++)
        {
            now += (long)Math.Round(Exponential.Sample(gaps, lambda));
            long workNs = (long)Math.Round(Exponential.Sample(work, mu));
            long start = cpu.Process(new SimTime(now), new SimTime(workNs), flows.NextInt64()).Nanoseconds - workNs;
            waits[i] = start - now;
            waited[i] = start > now ? 1 : 0;
        }
        return (waited, waits);
    }

    [Fact]
    public void MMc_probability_of_waiting_and_mean_wait_follow_Erlang_C()
    {
        double mu = 1 / MeanWorkNs;
        double lambda = Rho * Cores * mu;
        var cpu = new Cpu("mmc", Cores);
        (double[] waited, double[] waits) = RunJobs(cpu, 32);

        Assert.Equal(waited.Sum(), cpu.JobsThatWaited);
        Assert.Equal(Jobs, cpu.Jobs);
        ConfidenceInterval.FromSeries(waited, Jobs / 50, Batches).AssertCovers(QueueingTheory.ErlangC(Rho * Cores, Cores), 0.03);
        ConfidenceInterval.FromSeries(waits, Jobs / 50, Batches).AssertCovers(QueueingTheory.MMcMeanWait(lambda, mu, Cores), 0.04);
    }

    [Fact]
    public void Steered_by_flow_each_core_is_an_MM1_queue_at_a_cth_of_the_load()
    {
        double mu = 1 / MeanWorkNs;
        double lambda = Rho * Cores * mu;
        (double[] waited, double[] waits) = RunJobs(new Cpu("rss", Cores, steersByFlow: true), 33);

        // A random split of a Poisson stream is Poisson: each core is M/M/1 at ρ, so P(wait) = ρ and
        // Wq = ρ / (μ − λ/c) — more than the shared queue's Erlang C figures at the same load.
        ConfidenceInterval.FromSeries(waited, Jobs / 50, Batches).AssertCovers(Rho, 0.03);
        ConfidenceInterval.FromSeries(waits, Jobs / 50, Batches).AssertCovers(QueueingTheory.MMcMeanWait(lambda / Cores, mu, 1), 0.05);
        Assert.True(QueueingTheory.MMcMeanWait(lambda / Cores, mu, 1) > 2 * QueueingTheory.MMcMeanWait(lambda, mu, Cores));
    }
}
