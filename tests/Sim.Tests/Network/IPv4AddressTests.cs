using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Network;

public sealed class IPv4AddressTests
{
    [Theory]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("10.0.3.17", 0x0A000311u)]
    [InlineData("255.255.255.255", uint.MaxValue)]
    public void Parses_and_formats_dotted_quads(string text, uint value)
    {
        Assert.Equal(new IPv4Address(value), IPv4Address.Parse(text));
        Assert.Equal(text, new IPv4Address(value).ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.1.2")]
    [InlineData("10.0.0.256")]
    [InlineData("10..0.1")]
    [InlineData("10.0.0.-1")]
    [InlineData("a.b.c.d")]
    public void Rejects_what_is_not_a_dotted_quad(string? text) => Assert.False(IPv4Address.TryParse(text, out _));

    [Fact]
    public void Adds_offsets_and_orders_numerically()
    {
        IPv4Address address = IPv4Address.Parse("10.0.0.255");
        Assert.Equal(IPv4Address.Parse("10.0.1.0"), address + 1);
        Assert.True(IPv4Address.Parse("9.255.255.255") < IPv4Address.Parse("10.0.0.0"));
        Assert.Throws<OverflowException>(() => IPv4Address.Parse("255.255.255.255") + 1);
    }
}
