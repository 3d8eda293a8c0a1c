namespace ClusterNetPerf.Sim.Network;

/// <summary>A transport protocol, numbered as in the IPv4 header's protocol field (IANA).</summary>
public enum IpProtocol
{
    /// <summary>Transmission Control Protocol.</summary>
    Tcp = 6,
    /// <summary>User Datagram Protocol.</summary>
    Udp = 17,
}
