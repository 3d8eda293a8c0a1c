using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Edge;

/// <summary>
/// The configuration of a cloud Internet gateway's NAT (<see cref="NatGateway"/>), with presets
/// for the common clouds. Each preset cites the provider's documentation; the same figures
/// are gathered in docs/model-reference.md, "Cloud NAT". Values marked "estimate" are not
/// documented by the provider.
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
    /// Ports one public IP may hold toward one destination (IP, port, protocol), in use or in
    /// their <see cref="PortReuseDelay"/>; <see cref="int.MaxValue"/> for no limit beyond the
    /// ports themselves. Counting the ports in their reuse delay is what makes AWS's two
    /// documented figures one limit: 55,000 simultaneous connections, or about 55,000 new
    /// connections a minute (≈ 900/s) when each closed port is held for 60 s.
    /// </summary>
    public int MaxConnectionsPerDestination { get; init; } = int.MaxValue;

    /// <summary>
    /// How long a mapping outlives the last packet of an established connection that was never
    /// closed. The gateway has no timers: the connection model releases an abandoned mapping at
    /// its last activity plus this.
    /// </summary>
    public SimTime IdleTimeout { get; init; } = SimTime.FromSeconds(350);

    /// <summary>
    /// How long a mapping outlives the last packet of a connection that never completed its
    /// handshake (GCP's "TCP transitory idle timeout", Azure's "TCP half open" timer).
    /// </summary>
    public SimTime TransitoryIdleTimeout { get; init; } = SimTime.FromSeconds(350);

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
        if (TransitoryIdleTimeout <= SimTime.Zero) problems.Add(new(nameof(TransitoryIdleTimeout), "a timeout greater than zero", TransitoryIdleTimeout.ToString()));
        if (PortReuseDelay < SimTime.Zero) problems.Add(new(nameof(PortReuseDelay), "a duration of zero or more", PortReuseDelay.ToString()));
        if (PortsPerVm < 0 || PortsPerVm > Ports.Size) problems.Add(new(nameof(PortsPerVm), $"between 0 and the ports per IP ({ClusterOptions.Text(Ports.Size)})", ClusterOptions.Text(PortsPerVm)));
        return problems;
    }

    /// <summary>
    /// AWS NAT Gateway (https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html):
    /// ports 1024–65535, shared by all VMs; each IPv4 address supports up to 55,000 simultaneous
    /// connections to each unique destination (IP, port, protocol), up to 8 addresses per
    /// gateway, and "this limit also applies if you create approximately 900 connections per
    /// second to a single destination (about 55,000 connections per minute)"; failures show as
    /// the ErrorPortAllocation metric. A connection idle for 350 s times out (same page,
    /// "IdleTimeoutCount"; re:Post knowledge-center vpc-troubleshoot-nat-gateway-connection).
    /// The 60 s port reuse delay is derived, not documented: it is the hold that turns the
    /// 55,000 limit into 55,000 per minute (55,000 / 60 s ≈ 917/s). AWS documents one idle
    /// timeout, so the transitory timeout is the same 350 s.
    /// </summary>
    public static NatGatewayOptions Aws(IPv4Address firstPublicIp, int publicIpCount = 1) => new()
    {
        FirstPublicIp = firstPublicIp,
        PublicIpCount = publicIpCount,
        Ports = PortRange.Unprivileged,
        MaxConnectionsPerDestination = 55_000,
        IdleTimeout = SimTime.FromSeconds(350),
        TransitoryIdleTimeout = SimTime.FromSeconds(350),
        PortReuseDelay = SimTime.FromSeconds(60),
    };

    /// <summary>
    /// GCP Cloud NAT with static port allocation (https://cloud.google.com/nat/docs/ports-and-addresses
    /// and https://cloud.google.com/nat/docs/tune-nat-configuration, "NAT timeouts"): 64,512
    /// ports per NAT IP (1024–65535), a block of <paramref name="portsPerVm"/> per VM
    /// (minPortsPerVm, default and minimum 64 with static allocation), TCP established idle
    /// timeout 1,200 s, TCP transitory idle timeout 30 s, TCP TIME_WAIT 120 s (the reuse delay).
    /// With 64 ports a VM's 65th simultaneous connection to one destination fails
    /// (gardener-extensions#445). Dynamic port allocation (minPortsPerVm
    /// 32 doubling up to maxPortsPerVm, at most 65,536) is not modelled.
    /// </summary>
    public static NatGatewayOptions Gcp(IPv4Address firstPublicIp, int publicIpCount = 1, int portsPerVm = 64) => new()
    {
        FirstPublicIp = firstPublicIp,
        PublicIpCount = publicIpCount,
        Ports = PortRange.Unprivileged,
        PortsPerVm = portsPerVm,
        IdleTimeout = SimTime.FromSeconds(1200),
        TransitoryIdleTimeout = SimTime.FromSeconds(30),
        PortReuseDelay = SimTime.FromSeconds(120),
    };

    /// <summary>
    /// Azure Load Balancer outbound SNAT with default port allocation
    /// (MicrosoftDocs/azure-docs articles/load-balancer/load-balancer-outbound-connections.md):
    /// 64,000 SNAT ports per frontend IP, a static block per VM by backend pool size (see
    /// <see cref="AzureDefaultPortsPerVm"/>), idle ports released after 4 minutes (4–120,
    /// outbound-rules.md), and, in the article's port-release table of earlier revisions, a
    /// port closed by FIN from both sides released after 240 s. The port numbers (1024–65023)
    /// and a transitory timeout equal to the idle timeout are estimates.
    /// </summary>
    public static NatGatewayOptions AzureLoadBalancer(IPv4Address firstPublicIp, int backendPoolSize) => new()
    {
        FirstPublicIp = firstPublicIp,
        Ports = new PortRange(1024, 1024 + 64_000 - 1),
        PortsPerVm = AzureDefaultPortsPerVm(backendPoolSize),
        IdleTimeout = SimTime.FromSeconds(240),
        TransitoryIdleTimeout = SimTime.FromSeconds(240),
        PortReuseDelay = SimTime.FromSeconds(240),
    };

    /// <summary>
    /// Azure NAT Gateway (MicrosoftDocs/azure-docs articles/nat-gateway/nat-gateway-resource.md):
    /// 64,512 SNAT ports per public IP (1024–65535), up to 16 IPs, one pool shared by all VMs,
    /// up to 50,000 concurrent connections per public IP to the same destination endpoint,
    /// TCP idle timeout 4 minutes (default; 4–120), port reuse timers TCP FIN 65 s and TCP half
    /// open 30 s. Counting the ports in their 65 s hold against the 50,000 is this model's
    /// reading (the article says "concurrent connections").
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
            MaxConnectionsPerDestination = 50_000,
            IdleTimeout = SimTime.FromSeconds(240),
            TransitoryIdleTimeout = SimTime.FromSeconds(30),
            PortReuseDelay = SimTime.FromSeconds(65),
        };
    }

    /// <summary>
    /// Azure Load Balancer's default SNAT ports per VM for one frontend IP, by backend pool
    /// size (load-balancer-outbound-connections.md, "Default port allocation"): 1–50 VMs →
    /// 1,024; 51–100 → 512; 101–200 → 256; 201–400 → 128; 401–800 → 64; 801–1,000 → 32.
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
