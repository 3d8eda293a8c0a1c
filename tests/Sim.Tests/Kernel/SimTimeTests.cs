using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Tests.Kernel;

public sealed class SimTimeTests
{
    [Theory]
    [InlineData("250us", 250_000L)]
    [InlineData("1.5ms", 1_500_000L)]
    [InlineData("60s", 60_000_000_000L)]
    [InlineData("2m", 120_000_000_000L)]
    [InlineData("7ns", 7L)]
    [InlineData(" 10 us ", 10_000L)]
    [InlineData("1e3us", 1_000_000L)]
    public void Parses_durations_with_units(string text, long nanoseconds) =>
        Assert.Equal(nanoseconds, SimTime.Parse(text).Nanoseconds);

    [Theory]
    [InlineData("5")]
    [InlineData("5 parsecs")]
    [InlineData("ms")]
    [InlineData("")]
    public void Rejects_bad_durations_with_a_reason(string text)
    {
        Assert.False(SimTime.TryParse(text, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("250us")]
    [InlineData("1.5ms")]
    [InlineData("60s")]
    [InlineData("123ns")]
    public void Formats_back_to_what_it_parsed(string text) => Assert.Equal(text, SimTime.Parse(text).ToString());
}
