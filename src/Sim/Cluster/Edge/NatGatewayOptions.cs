using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Edge;

/// <summary>
/// The configuration of a cloud Internet gateway's NAT (<see cref="NatGateway"/>), with presets
/// for the common clouds. Sources are in docs/model-reference.md, "Cloud NAT gateways"; values
/// marked "estimate" are not confirmed by a published source.
/// </summary>
public sealed record NatGatewayOptions
{
    /// <summary>The first public IP; the others follow it consecutively.</summary>
    public required IPv4Address FirstPublicIp { get; init; }

    /// <summary>Public IPs, 1 to 256.</summary>
    public int PublicIpCount { get; init; } = 1;

    /// <summary>Ports each public IP translates to.</summary>
    public PortRange Ports { get; init; } = PortRange.Unprivileged;

    /// <summary>
    /// Simultaneous connections allowed per (public IP, destination IP, destination port,
    /// protocol); <see cref="int.MaxValue"/> for no limit beyond the ports themselves.
    /// </summary>
    public int MaxConnectionsPerDestination { get; init; } = int.MaxValue;

    /// <summary>
    /// How long a mapping outlives the last packet of a connection that was never closed. The
    /// gateway has no timers: the connection model releases an abandoned mapping at its last
    /// activity plus this.
    /// </summary>
    public SimTime IdleTimeout { get; init; } = SimTime.FromSeconds(350);

    /// <summary>How long a released port stays unusable toward the same destination (TIME_WAIT-like).</summary>
    public SimTime PortReuseDelay { get; init; } = SimTime.Zero;

    /// <summary>
    /// Ports reserved for each VM (node IP) on one public IP, as a static block; 0 for one
    /// pool shared by all VMs. With blocks, a VM's connections to one destination are limited
    /// to the block size, and a VM beyond the blocks available gets no port at all.
    /// </summary>
    public int PortsPerVm { get; init; }

    /// <summary>The most public IPs one gateway takes.</summary>
    public const int MaxPublicIps = 256;

    /// <summary>The problems with these options (empty when valid), named by property.</summary>
    public IReadOnlyList<OptionProblem> Validate()
    {
        var problems = new List<OptionProblem>();
        if (PublicIpCount is < 1 or > MaxPublicIps)
            problems.Add(new(nameof(PublicIpCount), $"between 1 and {ClusterOptions.Text(MaxPublicIps)}", ClusterOptions.Text(PublicIpCount)));
        if (MaxConnectionsPerDestination < 1) problems.Add(new(nameof(MaxConnectionsPerDestination), "at least 1", ClusterOptions.Text(MaxConnectionsPerDestination)));
        if (IdleTimeout <= SimTime.Zero) problems.Add(new(nameof(IdleTimeout), "a timeout greater than zero", IdleTimeout.ToString()));
        if (PortReuseDelay < SimTime.Zero) problems.Add(new(nameof(PortReuseDelay), "a duration of zero or more", PortReuseDelay.ToString()));
        if (PortsPerVm < 0 || PortsPerVm > Ports.Size) problems.Add(new(nameof(PortsPerVm), $"between 0 and the ports per IP ({ClusterOptions.Text(Ports.Size)})", ClusterOptions.Text(PortsPerVm)));
        return problems;
    }

    /// <summary>
    /// AWS NAT Gateway: 55,000 simultaneous connections per destination per gateway IP, ports
    /// 1024–65535, shared by all VMs (AWS VPC user guide, "NAT gateways"). The ≈ 900 new connections/s per
    /// destination limit is not modelled. Idle timeout 350 s and port reuse delay 350 s are
    /// estimates: 350 s is NLB's idle timeout, not confirmed for NAT Gateway.
    /// </summary>
    public static NatGatewayOptions Aws(IPv4Address firstPublicIp, int publicIpCount = 1) => new()
    {
        FirstPublicIp = firstPublicIp,
        PublicIpCount = publicIpCount,
        Ports = PortRange.Unprivileged,
        MaxConnectionsPerDestination = 55_000,
        IdleTimeout = SimTime.FromSeconds(350),
        PortReuseDelay = SimTime.FromSeconds(350),
    };

    /// <summary>
    /// GCP Cloud NAT with static port allocation: 64,512 ports per NAT IP (1024–65535), a block
    /// of <paramref name="portsPerVm"/> (minimum and default 64) per VM, TCP established idle
    /// timeout 1,200 s, TIME_WAIT 120 s as the reuse delay (cloud.google.com/nat/docs/ports-and-addresses). With 64
    /// ports a VM's 65th simultaneous connection to one destination fails (gardener-extensions#445).
    /// Dynamic port allocation (32 to 65,536 ports per VM, doubling) is not modelled.
    /// </summary>
    public static NatGatewayOptions Gcp(IPv4Address firstPublicIp, int publicIpCount = 1, int portsPerVm = 64) => new()
    {
        FirstPublicIp = firstPublicIp,
        PublicIpCount = publicIpCount,
        Ports = PortRange.Unprivileged,
        PortsPerVm = portsPerVm,
        IdleTimeout = SimTime.FromSeconds(1200),
        PortReuseDelay = SimTime.FromSeconds(120),
    };

    /// <summary>
    /// Azure Load Balancer outbound rules with default allocation: 64,000 SNAT ports per
    /// frontend IP and a static per-VM block by backend pool size (Azure, "Source NAT for outbound connections";
    /// see <see cref="AzureDefaultPortsPerVm"/>). The port numbers (1024–65023), the 240 s idle
    /// timeout and the 120 s reuse delay are estimates.
    /// </summary>
    public static NatGatewayOptions AzureLoadBalancer(IPv4Address firstPublicIp, int backendPoolSize) => new()
    {
        FirstPublicIp = firstPublicIp,
        Ports = new PortRange(1024, 1024 + 64_000 - 1),
        PortsPerVm = AzureDefaultPortsPerVm(backendPoolSize),
        IdleTimeout = SimTime.FromSeconds(240),
        PortReuseDelay = SimTime.FromSeconds(120),
    };

    /// <summary>
    /// Azure NAT Gateway: 64,512 ports per public IP (1024–65535), up to 16 IPs, one pool shared
    /// by all VMs (Azure, "NAT gateway resource"). The 240 s idle timeout and the 120 s reuse delay
    /// are estimates; no per-destination limit is modelled.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="publicIpCount"/> is not 1–16.</exception>
    public static NatGatewayOptions AzureNatGateway(IPv4Address firstPublicIp, int publicIpCount = 1)
    {
        if (publicIpCount is < 1 or > 16)
            throw new ArgumentOutOfRangeException(nameof(publicIpCount), "Azure NAT Gateway takes 1 to 16 public IPs.");
        return new()
        {
            FirstPublicIp = firstPublicIp,
            PublicIpCount = publicIpCount,
            Ports = PortRange.Unprivileged,
            IdleTimeout = SimTime.FromSeconds(240),
            PortReuseDelay = SimTime.FromSeconds(120),
        };
    }

    /// <summary>
    /// Azure Load Balancer's default SNAT ports per VM for one frontend IP, by backend pool
    /// size: 1–50 VMs → 1,024; 51–100 → 512; 101–200 → 256; 201–400 → 128; 401–800 → 64;
    /// 801–1,000 → 32 (Azure, "Source NAT for outbound connections"; docs/model-reference.md, "Cloud NAT gateways").
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The pool size is not 1–1,000.</exception>
    public static int AzureDefaultPortsPerVm(int backendPoolSize) => backendPoolSize switch
    {
        < 1 or > 1000 => throw new ArgumentOutOfRangeException(nameof(backendPoolSize), "Azure's default allocation table covers pools of 1 to 1,000 VMs."),
        <= 50 => 1024,
        <= 100 => 512,
        <= 200 => 256,
        <= 400 => 128,
        <= 800 => 64,
        _ => 32,
    };
}
