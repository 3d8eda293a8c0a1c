using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Linux;

/// <summary>
/// A node's MASQUERADE source-port choice: rewrites a pod's outgoing flow to the node IP and
/// a source port that makes the translated tuple unique toward its destination (IP, port,
/// protocol). A failure drops the new flow's packet (counted as <c>drops_snat_ports</c>).
/// </summary>
/// <remarks>
/// <para>Follows <c>get_unique_tuple</c> and <c>nf_nat_l4proto_unique_tuple</c> in
/// net/netfilter/nf_nat_core.c (read from the kernel source of the 5.x series, where the
/// function moved from nf_nat_proto_common.c; check it against the kernel you model):</para>
/// <list type="number">
/// <item>Without <c>--random-fully</c>, the original tuple is kept if its source port is in
/// range and the tuple is unused. <c>--random-fully</c> (NF_NAT_RANGE_PROTO_RANDOM_FULLY,
/// part of RANDOM_ALL) skips this step, so every flow gets a random port.</item>
/// <item>Otherwise ports are probed one after another from an offset, at most
/// min(range, 128) of them (max_attempts = 128, Florian Westphal's "limit port clash
/// resolution attempts", 2018: a full search in softirq risked a soft lockup). If all are
/// taken the search restarts at a new random offset with half the window: 128 + 64 + 32 +
/// 16 + 8 = 248 probes at most; a range of at most 128 ports is searched once, in full.
/// When no probe succeeds the kernel keeps a clashing tuple, conntrack confirmation fails
/// and the packet is dropped; here <see cref="TryAllocate"/> returns false.</item>
/// </list>
/// <para>The probe offset: kernels of the 5.x series draw it with prandom_u32() whether or not
/// <c>--random-fully</c> is set; older kernels without it started from a keyed hash of the
/// tuple (secure_ipv4_port_ephemeral) or a rover. A keyed hash is as good as random over
/// many flows, so both are modelled as a draw from the given <see cref="System.Random"/>.</para>
/// <para>The SNAT race (two CPUs picking the same port for flows confirmed at the same instant,
/// docs/model-reference.md, "conntrack") needs concurrency this single-threaded model does not have;
/// it is not modelled here.</para>
/// <para>Per-destination state is a <see cref="PortSet"/>: memory grows with the ports in use,
/// capped at range / 8 bytes per destination; it is kept once created, so allocation and
/// release allocate nothing for a destination seen before.</para>
/// </remarks>
public sealed class SnatPortAllocator
{
    /// <summary>Probes in the first round (max_attempts in nf_nat_core.c).</summary>
    public const int MaxAttempts = 128;

    /// <summary>The kernel stops halving the window below this many probes (the "attempts &lt; 16" test).</summary>
    private const int MinRoundAttempts = 16;

    private readonly Dictionary<ulong, PortSet> _byDestination = [];
    private readonly System.Random _random;

    /// <param name="nodeIp">The address flows are masqueraded to.</param>
    /// <param name="random">The stream the probe offsets come from.</param>
    /// <param name="randomFully">True for iptables <c>--random-fully</c> (kube-proxy sets it where supported).</param>
    /// <param name="range">Ports to choose from; <see cref="PortRange.LinuxEphemeral"/> if null.
    /// Real MASQUERADE without <c>--to-ports</c> searches <see cref="PortRange.Unprivileged"/>.</param>
    public SnatPortAllocator(IPv4Address nodeIp, System.Random random, bool randomFully, PortRange? range = null)
    {
        NodeIp = nodeIp;
        _random = random;
        RandomFully = randomFully;
        Range = range ?? PortRange.LinuxEphemeral;
    }

    /// <summary>The address flows are masqueraded to.</summary>
    public IPv4Address NodeIp { get; }

    /// <summary>The ports translated flows get.</summary>
    public PortRange Range { get; }

    /// <summary>Whether the rule has <c>--random-fully</c> (no attempt to keep the original port).</summary>
    public bool RandomFully { get; }

    /// <summary>Successful allocations so far.</summary>
    public long Allocated { get; private set; }

    /// <summary>Allocations that found no free port within the probe limit (each a dropped packet).</summary>
    public long Failures { get; private set; }

    /// <summary>
    /// Successful allocations whose first candidate (the original port, or the first probe
    /// under <c>--random-fully</c>) was taken, so another port was chosen.
    /// </summary>
    public long Clashes { get; private set; }

    /// <summary>Ports in use, over all destinations.</summary>
    public int InUse { get; private set; }

    /// <summary>The most ports in use at once.</summary>
    public int PeakInUse { get; private set; }

    /// <summary>The most ports in use at once toward any one destination: the figure to hold against <see cref="Range"/>.</summary>
    public int PeakInUseTowardOneDestination { get; private set; }

    /// <summary>Ports in use toward one destination. O(1).</summary>
    public int InUseToward(FlowDestination destination) =>
        _byDestination.TryGetValue(destination.Key, out PortSet? used) ? used.Count : 0;

    /// <summary>
    /// Chooses the source port for a new flow. The translated tuple is
    /// (<see cref="NodeIp"/>, <paramref name="port"/>, destination IP, destination port, protocol).
    /// O(1) expected; at most 248 probes.
    /// </summary>
    /// <returns>False if no port was found (the flow's packet is dropped).</returns>
    public bool TryAllocate(in FlowTuple original, out ushort port)
    {
        ulong key = FlowDestination.Of(original).Key;
        if (!_byDestination.TryGetValue(key, out PortSet? used))
        {
            used = new PortSet(Range.Size);
            _byDestination.Add(key, used);
        }

        bool keepOriginal = !RandomFully && Range.Contains(original.SourcePort);
        if (keepOriginal && used.Add(original.SourcePort - Range.First))
            return Take(used, original.SourcePort - Range.First, clashed: false, out port);
        int offset = Probe(used, out bool firstIsFree);
        if (offset < 0)
        {
            port = 0;
            Failures++;
            return false;
        }
        return Take(used, offset, clashed: keepOriginal || !firstIsFree, out port);
    }

    /// <summary>Frees the port of a translated tuple, when its conntrack entry goes. O(1).</summary>
    /// <exception cref="InvalidOperationException">The port was not allocated toward that destination.</exception>
    public void Release(in FlowTuple translated)
    {
        if (translated.SourceIp != NodeIp || !Range.Contains(translated.SourcePort)
            || !_byDestination.TryGetValue(FlowDestination.Of(translated).Key, out PortSet? used)
            || !used.Remove(translated.SourcePort - Range.First))
            throw new InvalidOperationException($"{translated} does not hold a port of this node ({NodeIp}).");
        InUse--;
    }

    /// <summary>The kernel's probe rounds; returns the offset taken, or −1.</summary>
    private int Probe(PortSet used, out bool firstIsFree)
    {
        int size = Range.Size;
        int attempts = Math.Min(size, MaxAttempts);
        firstIsFree = false;
        bool first = true;
        while (true)
        {
            int offset = _random.Next(size);
            for (int i = 0; i < attempts; i++, offset = offset + 1 == size ? 0 : offset + 1)
            {
                if (used.Add(offset))
                {
                    firstIsFree = first;
                    return offset;
                }
                first = false;
            }
            if (attempts >= size || attempts < MinRoundAttempts) return -1;
            attempts /= 2;
        }
    }

    private bool Take(PortSet used, int offset, bool clashed, out ushort port)
    {
        if (used.Count > PeakInUseTowardOneDestination) PeakInUseTowardOneDestination = used.Count;
        port = (ushort)(Range.First + offset);
        Allocated++;
        if (clashed) Clashes++;
        InUse++;
        if (InUse > PeakInUse) PeakInUse = InUse;
        return true;
    }
}
