using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Cluster.Ebpf;

/// <summary>Map sizes as cilium-agent sets them (pkg/maps/mapsize; Documentation/network/ebpf/maps.rst).</summary>
public sealed class EbpfOptionsTests
{
    [Fact]
    public void Without_dynamic_sizing_the_defaults_are_512Ki_TCP_256Ki_any_and_NAT_two_thirds_of_both()
    {
        var options = new EbpfOptions { MapDynamicSizeRatio = 0 };
        Assert.Equal(524_288, options.EffectiveCtTcpMax);
        Assert.Equal(262_144, options.EffectiveCtAnyMax);
        Assert.Equal((524_288 + 262_144) * 2 / 3, options.EffectiveNatMax);
        Assert.Equal(65_536, options.LbMapMax);
        Assert.Empty(options.Validate());
    }

    /// <summary>
    /// The table of Documentation/network/ebpf/maps.rst at --bpf-map-dynamic-size-ratio 0.0025:
    /// the 30 GiB row exactly (the row the element sizes are calibrated on), the larger rows
    /// within 10 ppm (the docs double the 30 GiB figure where the agent's integer arithmetic
    /// gives a few entries more), the small nodes at the 128 Ki floor. Left out: the 15 GiB row
    /// (131,072, but half of 30 GiB's 284,560 is 142,280, above the floor) and the 360 GiB row
    /// (4,552,960, not linear in memory like the others): no rule of the agent gives either.
    /// </summary>
    [Theory]
    [InlineData(3.75, 131_072)]
    [InlineData(7.5, 131_072)]
    [InlineData(30, 284_560)]
    [InlineData(60, 569_120)]
    [InlineData(120, 1_138_240)]
    [InlineData(240, 2_276_480)]
    public void Dynamic_sizing_reproduces_the_documented_CT_sizes(double memoryGiB, long ctEntries)
    {
        var options = new EbpfOptions { NodeMemory = ByteSize.FromMebibytes(memoryGiB * 1024) };
        Assert.Equal(ctEntries, options.EffectiveCtTcpMax, tolerance: ctEntries * 1e-5);
        if (memoryGiB == 30) Assert.Equal(ctEntries, options.EffectiveCtTcpMax);
        // The non-TCP map and the NAT map scale from their own defaults (256 Ki and 512 Ki), with their own floors.
        Assert.Equal(Math.Max(65_536, options.EffectiveCtTcpMax / 2), options.EffectiveCtAnyMax, tolerance: 1);
        Assert.Equal(options.EffectiveCtTcpMax, options.EffectiveNatMax);
    }

    [Fact]
    public void The_NAT_map_never_exceeds_the_CT_maps_and_is_capped_at_two_thirds_of_them_when_they_are_set_smaller()
    {
        var explicitCt = new EbpfOptions { CtGlobalTcpMax = 65_536, CtGlobalAnyMax = 32_768 };
        Assert.Equal((65_536 + 32_768) * 2 / 3, explicitCt.EffectiveNatMax);
        Assert.True(explicitCt.EffectiveNatMax * 3 <= (explicitCt.EffectiveCtTcpMax + explicitCt.EffectiveCtAnyMax) * 2);
        Assert.Empty(explicitCt.Validate());

        var tooBig = explicitCt with { NatGlobalMax = 65_536 + 32_768 + 1 };
        Assert.Contains(tooBig.Validate(), problem => problem.Option == nameof(EbpfOptions.NatGlobalMax));
    }

    [Fact]
    public void Maps_below_the_agents_1Ki_floor_are_refused()
    {
        Assert.NotEmpty(new EbpfOptions { CtGlobalTcpMax = 1_000 }.Validate());
        Assert.Empty(new EbpfOptions { CtGlobalTcpMax = 1_024, CtGlobalAnyMax = 1_024 }.Validate());
    }
}
