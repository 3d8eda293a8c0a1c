using ClusterNetPerf.Sim.Cluster.ServiceProxy;

namespace ClusterNetPerf.Sim.Tests.Cluster.ServiceProxy;

public sealed class KubeProxyReleaseTests
{
    [Theory]
    [InlineData("1.19", false, false, false, 2)]
    [InlineData("1.22", false, false, false, 2)]
    [InlineData("1.26", false, false, false, 2)]
    [InlineData("1.31", true, false, false, 2)]
    [InlineData("v1.33.4", true, true, false, 2)]
    [InlineData("1.34", true, true, true, 1)]
    [InlineData("1.36", true, true, true, 1)]
    public void Each_release_has_the_behaviour_its_source_shows(string text, bool partial, bool hourly, bool fromCompletion, int burst)
    {
        KubeProxyRelease release = KubeProxyRelease.Parse(text);
        Assert.Equal(partial, release.PartialSyncs);
        Assert.Equal(hourly, release.HourlyFullSync);
        Assert.Equal(fromCompletion, release.MinSyncPeriodFromCompletion);
        Assert.Equal(fromCompletion, release.NoPeriodicFullSyncInLargeClusters);
        Assert.Equal(burst, release.BurstSyncs);
    }

    [Theory]
    [InlineData("1.19", 2)]
    [InlineData("1.21", 2)]
    [InlineData("1.22", 1)]
    [InlineData("1.36", 1)]
    public void KUBE_SERVICES_loses_the_masquerade_rule_in_1_22(string text, int rulesPerServicePort) =>
        Assert.Equal(rulesPerServicePort, KubeProxyRelease.Parse(text).KubeServicesRulesPerServicePort);

    [Theory]
    [InlineData("1.18")]
    [InlineData("1.38")]
    [InlineData("2.1")]
    [InlineData("latest")]
    public void Releases_outside_the_modelled_range_are_refused(string text)
    {
        Assert.False(KubeProxyRelease.TryParse(text, out _, out string problem));
        Assert.NotEmpty(problem);
    }

    [Fact]
    public void The_default_is_a_current_release() => Assert.Equal("1.36", KubeProxyRelease.Current.ToString());
}
