namespace ClusterNetPerf.Sim.Network;

/// <summary>The transport protocols the model carries, with their IANA numbers.</summary>
public enum IpProtocol : byte
{
    Tcp = 6,
    Udp = 17,
}
