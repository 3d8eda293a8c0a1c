using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Kernel.Sampling;

namespace ClusterNetPerf.Sim.Tests.Kernel.Sampling;

/// <summary>The contract of <see cref="Sampler"/>, checked once for every implementation.</summary>
public sealed class SamplerTests
{
    private static readonly Dictionary<string, Sampler> Samplers = new()
    {
        ["deterministic"] = new DeterministicSampler(1_448),
        ["exponential"] = new ExponentialSampler(2.5),
        ["uniform"] = new UniformSampler(-3, 5),
        ["lognormal"] = new LogNormalSampler(median: 2_048, sigma: 0.8),
        ["pareto"] = new ParetoSampler(scale: 100, shape: 3),
        ["bounded-pareto"] = new BoundedParetoSampler(min: 1_000, max: 10_000_000, shape: 1.2),
        ["empirical"] = new EmpiricalSampler([(100, 0.3), (1_000, 0.5), (1_000_000, 1)]),
    };

    public static TheoryData<string> Names => [.. Samplers.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Sample_mean_matches_the_analytic_mean(string name) => SamplerAssert.MeanMatches(Samplers[name]);

    [Theory]
    [MemberData(nameof(Names))]
    public void Is_reproducible_from_a_seed(string name)
    {
        var sampler = Samplers[name];
        var first = new RandomStreams(99).Stream("client");
        var again = new RandomStreams(99).Stream("client");
        for (int i = 0; i < 1_000; i++)
            Assert.Equal(sampler.Sample(first), sampler.Sample(again));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Does_not_allocate(string name)
    {
        var sampler = Samplers[name];
        var random = SamplerAssert.Stream("allocation");
        double sink = sampler.Sample(random);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
            sink += sampler.Sample(random);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.True(double.IsFinite(sink));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Describes_itself_by_name_in_invariant_culture(string name)
    {
        var sampler = Samplers[name];
        Assert.StartsWith(name + "(", sampler.Describe());
        Assert.DoesNotContain(",5", sampler.Describe());
        Assert.Equal(sampler.Describe(), sampler.ToString());
    }
}
