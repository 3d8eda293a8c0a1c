using ClusterNetPerf.Sim.Kernel.Sampling;

namespace ClusterNetPerf.Sim.Tests.Kernel.Sampling;

public sealed class DeterministicSamplerTests
{
    [Fact]
    public void Always_returns_its_value_without_drawing()
    {
        var sampler = new DeterministicSampler(1_448);
        var used = SamplerAssert.Stream("s");
        for (int i = 0; i < 10; i++)
            Assert.Equal(1_448, sampler.Sample(used));
        // The stream is untouched: its next draw is the first draw of a fresh copy.
        Assert.Equal(SamplerAssert.Stream("s").NextDouble(), used.NextDouble());
        Assert.Equal(1_448, sampler.Mean);
        Assert.Equal("deterministic(1448)", sampler.Describe());
    }

    [Fact]
    public void Rejects_a_value_that_is_not_finite() =>
        Assert.Throws<ArgumentOutOfRangeException>("value", () => new DeterministicSampler(double.NaN));
}
