using ClusterNetPerf.Sim.Linux;

namespace ClusterNetPerf.Sim.Tests.Linux;

public sealed class PortRangeTests
{
    [Fact]
    public void Parses_and_formats_the_sysctl_form()
    {
        PortRange range = PortRange.Parse("32768-60999");
        Assert.Equal(PortRange.LinuxEphemeral, range);
        Assert.Equal(28_232, range.Size);
        Assert.Equal("32768-60999", range.ToString());
        Assert.Equal(64_512, PortRange.Unprivileged.Size);
    }

    [Theory]
    [InlineData("")]
    [InlineData("32768")]
    [InlineData("60999-32768")]
    [InlineData("1-65536")]
    [InlineData("-5-10")]
    public void Rejects_malformed_ranges(string text) => Assert.Throws<FormatException>(() => PortRange.Parse(text));
}
