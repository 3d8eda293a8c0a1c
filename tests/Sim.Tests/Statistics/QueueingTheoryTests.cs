using ClusterNetPerf.Sim.Statistics;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Tests.Statistics;

public sealed class QueueingTheoryTests
{
    [Theory]
    [InlineData(10.0, 10, 0.2146)] // standard Erlang B table
    [InlineData(2.0, 2, 0.4)]      // (a²/2) / (1 + a + a²/2)
    [InlineData(1.0, 1, 0.5)]
    [InlineData(5.0, 10, 0.0184)]
    public void ErlangB_matches_table_values(double offered, int servers, double expected) =>
        Assert.Equal(expected, QueueingTheory.ErlangB(offered, servers), 4);

    [Theory]
    [InlineData(3.0, 4, 0.5094)]   // standard Erlang C table
    [InlineData(1.0, 2, 1.0 / 3)]
    [InlineData(0.5, 1, 0.5)]      // M/M/1: an arrival waits with probability ρ
    public void ErlangC_matches_table_values(double offered, int servers, double expected) =>
        Assert.Equal(expected, QueueingTheory.ErlangC(offered, servers), 4);

    [Fact]
    public void ErlangC_rejects_an_unstable_queue() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueingTheory.ErlangC(4, 4));

    [Fact]
    public void Single_server_forms_agree_with_each_other()
    {
        Assert.Equal(2.0, QueueingTheory.MM1MeanSojourn(0.5, 1), 12);
        Assert.Equal(1.0, QueueingTheory.MM1MeanNumberInSystem(0.5, 1), 12);
        // M/M/c with one server is M/M/1: wait = sojourn − service.
        Assert.Equal(QueueingTheory.MM1MeanSojourn(0.9, 1) - 1, QueueingTheory.MMcMeanWait(0.9, 1, 1), 12);
        // Pollaczek–Khinchine: deterministic service halves the M/M/1 wait.
        Assert.Equal((QueueingTheory.MM1MeanSojourn(0.7, 1) - 1) / 2, QueueingTheory.MD1MeanWait(0.7, 1), 12);
    }

    [Theory]
    [InlineData(0.5, 1, 0.5)]
    [InlineData(0.9, 1, 0.95)]
    [InlineData(3.0, 4, 0.99)]
    public void MM1_sojourn_quantile_inverts_the_exponential_distribution(double arrivalRate, double serviceRate, double q)
    {
        double t = QueueingTheory.MM1SojournQuantile(arrivalRate, serviceRate, q);
        Assert.Equal(q, Exponential.CDF(serviceRate - arrivalRate, t), 12);
        // The median of an exponential is its mean times ln 2.
        Assert.Equal(Math.Log(2) * QueueingTheory.MM1MeanSojourn(arrivalRate, serviceRate), QueueingTheory.MM1SojournQuantile(arrivalRate, serviceRate, 0.5), 12);
    }
}
