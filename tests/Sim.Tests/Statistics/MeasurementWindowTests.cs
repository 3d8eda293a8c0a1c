using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Sim.Tests.Statistics;

public sealed class MeasurementWindowTests
{
    [Theory]
    [InlineData(4_999_999_999L, false)]
    [InlineData(5_000_000_000L, true)]
    [InlineData(64_999_999_999L, true)]
    [InlineData(65_000_000_000L, false)]
    public void Contains_the_start_but_not_the_end(long timeNs, bool measured)
    {
        var window = MeasurementWindow.AfterWarmup(SimTime.Parse("5s"), SimTime.Parse("60s"));
        Assert.Equal(measured, window.Contains(new SimTime(timeNs)));
        Assert.Equal(SimTime.Parse("60s"), window.Duration);
        Assert.Equal(SimTime.Parse("65s"), window.End);
    }

    [Fact]
    public void Rejects_a_window_that_ends_before_it_starts()
    {
        Assert.Throws<ArgumentOutOfRangeException>("end", () => new MeasurementWindow(SimTime.Parse("2s"), SimTime.Parse("1s")));
        Assert.Throws<ArgumentOutOfRangeException>("warmup", () => MeasurementWindow.AfterWarmup(SimTime.Parse("-1s"), SimTime.Parse("1s")));
        Assert.Throws<ArgumentOutOfRangeException>("duration", () => MeasurementWindow.AfterWarmup(SimTime.Zero, SimTime.Parse("-1s")));
    }

    [Fact]
    public void An_empty_window_contains_nothing()
    {
        var window = new MeasurementWindow(SimTime.Parse("1s"), SimTime.Parse("1s"));
        Assert.False(window.Contains(SimTime.Parse("1s")));
        Assert.Equal(SimTime.Zero, window.Duration);
    }
}
