using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// The cloud's NAT gateway: a documented <see cref="Preset"/> (AWS NAT Gateway by default), whose
/// values every explicit key overrides. The property defaults are the AWS preset's.
/// </summary>
public sealed record NatGatewaySpec
{
    /// <summary>The address the presets are built at; the scenario layer only reads their limits and timers.</summary>
    private static readonly IPv4Address AnyAddress = IPv4Address.Parse("192.0.2.1");

    private static readonly NatGatewayOptions AwsDefaults = NatGatewayOptions.Aws(AnyAddress);

    public NatGatewayPreset Preset { get; init; } = NatGatewayPreset.Aws;
    public int PublicIps { get; init; } = AwsDefaults.PublicIpCount;
    public int PortsPerIp { get; init; } = AwsDefaults.Ports.Size;
    /// <summary>Ports one public IP (or VM block) may hold toward one destination, in use or in their reuse delay.</summary>
    public int MaxConnectionsPerDestination { get; init; } = AwsDefaults.MaxConnectionsPerDestination;
    /// <summary>Idle timeout of an established connection's mapping.</summary>
    public SimTime IdleTimeout { get; init; } = AwsDefaults.IdleTimeout;
    /// <summary>Idle timeout of a mapping whose handshake never completed.</summary>
    public SimTime TransitoryIdleTimeout { get; init; } = AwsDefaults.TransitoryIdleTimeout;
    /// <summary>Time a released port stays unusable for the same destination.</summary>
    public SimTime PortReuseDelay { get; init; } = AwsDefaults.PortReuseDelay;
    /// <summary>Static ports per VM on one public IP; 0 for one pool shared by all VMs.</summary>
    public int PortsPerVm { get; init; } = AwsDefaults.PortsPerVm;

    /// <summary>Most public IPs the provider lets one gateway take (AWS: 8, Azure NAT Gateway: 16, per the preset's source); int.MaxValue where only the gateway model's own bound applies.</summary>
    public static int MaxPublicIps(NatGatewayPreset preset) => preset switch
    {
        NatGatewayPreset.Aws => 8,
        NatGatewayPreset.AzureNatgw => 16,
        _ => int.MaxValue,
    };

    /// <summary>
    /// The documented options of <paramref name="preset"/> for a cluster of <paramref name="nodes"/> VMs
    /// (Azure LB's ports per VM depend on the backend pool size); null when the preset does not cover
    /// the cluster (Azure LB's table stops at 1,000 VMs).
    /// </summary>
    public static NatGatewaySpec? FromPreset(NatGatewayPreset preset, int nodes)
    {
        NatGatewayOptions? options = preset switch
        {
            NatGatewayPreset.Aws => AwsDefaults,
            NatGatewayPreset.Gcp => NatGatewayOptions.Gcp(AnyAddress),
            NatGatewayPreset.AzureLb => nodes is >= 1 and <= 1000 ? NatGatewayOptions.AzureLoadBalancer(AnyAddress, nodes) : null,
            NatGatewayPreset.AzureNatgw => NatGatewayOptions.AzureNatGateway(AnyAddress),
            _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown NAT gateway preset."),
        };
        return options is null ? null : new NatGatewaySpec
        {
            Preset = preset,
            PublicIps = options.PublicIpCount,
            PortsPerIp = options.Ports.Size,
            MaxConnectionsPerDestination = options.MaxConnectionsPerDestination,
            IdleTimeout = options.IdleTimeout,
            TransitoryIdleTimeout = options.TransitoryIdleTimeout,
            PortReuseDelay = options.PortReuseDelay,
            PortsPerVm = options.PortsPerVm,
        };
    }
}
