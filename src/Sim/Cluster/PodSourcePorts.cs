using ClusterNetPerf.Sim.Linux;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// The source ports pods' sockets take for new flows: each pod walks ip_local_port_range
/// (32768–60999) from its own starting point, as the kernel's port choice spreads a busy
/// client's connections over the range. One counter per pod; O(1), no allocation.
/// </summary>
public sealed class PodSourcePorts
{
    private static readonly PortRange Ephemeral = PortRange.LinuxEphemeral;
    private readonly ushort[] _next;

    public PodSourcePorts(int pods)
    {
        _next = new ushort[pods];
        // Starting points spread over the range by a multiplicative step (7,919 is prime).
        for (int p = 0; p < pods; p++) _next[p] = (ushort)(Ephemeral.First + (int)((p * 7919L) % Ephemeral.Size));
    }

    /// <summary>The port <paramref name="pod"/>'s next socket binds to.</summary>
    public ushort Next(int pod)
    {
        ushort port = _next[pod];
        _next[pod] = port >= Ephemeral.Last ? (ushort)Ephemeral.First : (ushort)(port + 1);
        return port;
    }
}
