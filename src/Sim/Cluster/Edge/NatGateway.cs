using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Sim.Cluster.Edge;

/// <summary>
/// A cloud Internet gateway's NAT: translates a node-side flow (node IP and port) to one of
/// the gateway's public IPs and a port unique toward the flow's destination (IP, port,
/// protocol). A failure is a <see cref="DropCause.NatPortExhausted"/> drop.
/// </summary>
/// <remarks>
/// <para>Ports are unique per (public IP, destination), so one port serves many destinations
/// at once, as on AWS, GCP and Azure. A public IP toward one destination holds at most
/// <see cref="NatGatewayOptions.MaxConnectionsPerDestination"/> ports, in use or in their reuse delay. With a shared pool
/// the IPs are tried in turn from a random one, so connections spread evenly; with
/// <see cref="NatGatewayOptions.PortsPerVm"/> each VM searches only its own block. Inside the
/// window the port is the first free one after a random offset.</para>
/// <para>Lifetime: the gateway has no timers. The connection model calls <see cref="Release"/>
/// when a connection closes, or, for one abandoned without a close, at its last activity plus
/// <see cref="NatGatewayOptions.IdleTimeout"/>, an instant it knows and can schedule itself.
/// A released port then waits <see cref="NatGatewayOptions.PortReuseDelay"/> before it can be
/// given toward the same destination again: it sits in a FIFO per (public IP, destination),
/// which is in expiry order because the delay is fixed and time only advances, and is
/// drained lazily when that pair next allocates. No event, no scan over ports.</para>
/// <para>Costs: allocation is O(1) expected (O(window / 64) worst case, on a nearly full
/// window) plus the expired FIFO entries drained; release is O(1). Nothing is allocated per
/// call once a (public IP, destination) pair has been seen.</para>
/// </remarks>
public sealed class NatGateway
{
    private readonly Dictionary<ulong, DestinationState> _byDestination = [];
    private readonly TimeWeightedAverage[] _perIp;
    private readonly VmPortBlocks? _vmBlocks;
    private readonly System.Random _random;
    private readonly int _portsPerIp;
    private readonly TimeWeightedAverage _total = new(SimTime.Zero);

    /// <param name="spec">Public IPs, ports, limits and timers.</param>
    /// <param name="random">The stream the starting IP and port offsets come from.</param>
    public NatGateway(NatGatewayOptions spec, System.Random random)
    {
        if (spec.PublicIpCount is < 1 or > NatGatewayOptions.MaxPublicIps)
            throw new ArgumentOutOfRangeException(nameof(spec), "A NAT gateway has 1 to 256 public IPs.");
        if (spec.MaxConnectionsPerDestination < 1)
            throw new ArgumentOutOfRangeException(nameof(spec), "The per-destination connection limit must be positive.");
        if (spec.PortReuseDelay.Nanoseconds < 0 || spec.IdleTimeout.Nanoseconds < 0 || spec.TransitoryIdleTimeout.Nanoseconds < 0)
            throw new ArgumentOutOfRangeException(nameof(spec), "Timeouts must not be negative.");
        if ((ulong)spec.FirstPublicIp.Value + (ulong)spec.PublicIpCount - 1 > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(spec), "The public IPs run past 255.255.255.255.");
        Spec = spec;
        _random = random;
        _portsPerIp = spec.Ports.Size;
        _perIp = new TimeWeightedAverage[spec.PublicIpCount];
        for (int i = 0; i < _perIp.Length; i++) _perIp[i] = new TimeWeightedAverage(SimTime.Zero);
        if (spec.PortsPerVm > 0) _vmBlocks = new VmPortBlocks(spec.PublicIpCount, _portsPerIp, spec.PortsPerVm);
    }

    /// <summary>The configuration the gateway was built from.</summary>
    public NatGatewayOptions Spec { get; }

    /// <summary>Public IP number <paramref name="index"/> (0-based).</summary>
    public IPv4Address PublicIp(int index) => Spec.FirstPublicIp + (uint)index;

    /// <summary>Successful allocations since the last <see cref="RestartStatistics"/>.</summary>
    public long Allocated { get; private set; }

    /// <summary>Allocations that failed: no port, limit reached, or (per-VM blocks) no block left for the VM.</summary>
    public long Failures { get; private set; }

    /// <summary>VMs holding a per-VM port block (0 with a shared pool).</summary>
    public int VmsWithPortBlock => _vmBlocks?.VmsServed ?? 0;

    /// <summary>Mappings (connections) held now; ports in their reuse delay are not counted.</summary>
    public int InUse => (int)_total.Value;

    /// <summary>The most mappings held at once since the last <see cref="RestartStatistics"/>.</summary>
    public int PeakInUse => (int)_total.Peak;

    /// <summary>Time-average of <see cref="InUse"/> from the last restart to <paramref name="now"/>.</summary>
    public double MeanInUse(SimTime now) => _total.Mean(now);

    /// <summary>Mappings held now on public IP number <paramref name="ipIndex"/>.</summary>
    public int InUseOnIp(int ipIndex) => (int)_perIp[ipIndex].Value;

    /// <summary>The most mappings held at once on public IP number <paramref name="ipIndex"/>.</summary>
    public int PeakInUseOnIp(int ipIndex) => (int)_perIp[ipIndex].Peak;

    /// <summary>Time-average mappings on public IP number <paramref name="ipIndex"/>.</summary>
    public double MeanInUseOnIp(int ipIndex, SimTime now) => _perIp[ipIndex].Mean(now);

    /// <summary>
    /// The most ports held at once toward one destination (in use or in their reuse delay) by one
    /// allocation unit: a public IP with a shared pool, a VM's block with per-VM blocks; since the
    /// last <see cref="RestartStatistics"/>. The figure to hold against <see cref="PortsPerDestinationLimit"/>.
    /// </summary>
    public int PeakHeldPerDestination { get; private set; }

    /// <summary>Ports one allocation unit (public IP, or VM block) may hold toward one destination: the smaller of its ports and the per-destination limit.</summary>
    public int PortsPerDestinationLimit => Math.Min(Spec.MaxConnectionsPerDestination, _vmBlocks?.PortsPerVm ?? _portsPerIp);

    /// <summary>Mappings held now toward <paramref name="destination"/>, over all public IPs.</summary>
    public int InUseToward(FlowDestination destination) => (int)(Find(destination)?.Total.Value ?? 0);

    /// <summary>The most mappings held at once toward <paramref name="destination"/>.</summary>
    public int PeakInUseToward(FlowDestination destination) => (int)(Find(destination)?.Total.Peak ?? 0);

    /// <summary>Time-average mappings toward <paramref name="destination"/>.</summary>
    public double MeanInUseToward(FlowDestination destination, SimTime now) => Find(destination)?.Total.Mean(now) ?? 0;

    /// <summary>Ports held now, in use or in their reuse delay, over every public IP and destination. O(destinations × public IPs).</summary>
    public int Held(SimTime now)
    {
        int held = 0;
        foreach (DestinationState state in _byDestination.Values)
        {
            foreach (Slot? slot in state.Slots)
            {
                if (slot is null) continue;
                DrainCooled(slot, now);
                held += slot.Ports.Count;
            }
        }
        return held;
    }

    /// <summary>
    /// Maps a new node-side flow to a public IP and port.
    /// </summary>
    /// <param name="now">The current time; calls must not go back in time.</param>
    /// <param name="nodeSide">The flow as it leaves the node (source = node IP and port).</param>
    /// <param name="publicSide">The flow as it leaves the gateway; default on failure.</param>
    /// <returns>False if no port could be given (counted in <see cref="Failures"/>).</returns>
    public bool TryAllocate(SimTime now, in FlowTuple nodeSide, out FlowTuple publicSide)
    {
        DestinationState state = StateOf(FlowDestination.Of(nodeSide));
        if (TryPlace(now, state, nodeSide, out Slot? slot, out int ip, out int offset))
        {
            slot.Connections++;
            Allocated++;
            Count(now, state, ip, +1);
            publicSide = new FlowTuple(PublicIp(ip), (ushort)(Spec.Ports.First + offset), nodeSide.DestinationIp, nodeSide.DestinationPort, nodeSide.Protocol);
            return true;
        }
        publicSide = default;
        Failures++;
        return false;
    }

    /// <summary>
    /// Warm start: the port of a mapping for <paramref name="nodeSide"/> that was released before
    /// <paramref name="now"/>, chosen as <see cref="TryAllocate"/> chooses, waits in its reuse delay until
    /// <paramref name="freeAt"/>. Calls must come in the order of <paramref name="freeAt"/>, before any
    /// allocation of the run; the reuse FIFO frees the port as it frees any other.
    /// </summary>
    /// <returns>False, and nothing held, when no port could be given (the limit or the ports are taken).</returns>
    public bool TryPrefillCooling(SimTime now, in FlowTuple nodeSide, SimTime freeAt)
    {
        if (freeAt <= now) return false;
        if (!TryPlace(now, StateOf(FlowDestination.Of(nodeSide)), nodeSide, out Slot? slot, out _, out int offset)) return false;
        slot.Cooling.Enqueue((offset, freeAt.Nanoseconds));
        return true;
    }
    /// <summary>
    /// Ends a mapping (connection closed, or idle past the timeout); its port enters the reuse delay.
    /// </summary>
    /// <remarks>O(1). A mapping released twice is caught only if the (public IP, destination) pair has no other connection.</remarks>
    /// <exception cref="InvalidOperationException">No mapping of this gateway toward that destination uses the public IP.</exception>
    public void Release(SimTime now, in FlowTuple publicSide)
    {
        uint ip = publicSide.SourceIp.Value - Spec.FirstPublicIp.Value;
        DestinationState? state = ip < (uint)Spec.PublicIpCount && Spec.Ports.Contains(publicSide.SourcePort)
            ? Find(FlowDestination.Of(publicSide))
            : null;
        Slot? slot = state?.Slots[ip];
        if (state is null || slot is null || slot.Connections == 0)
            throw new InvalidOperationException($"{publicSide} is not a mapping of this gateway.");
        int offset = publicSide.SourcePort - Spec.Ports.First;
        Debug.Assert(slot.Ports.Contains(offset));
        if (Spec.PortReuseDelay.Nanoseconds == 0)
            Free(slot, offset);
        else
            slot.Cooling.Enqueue((offset, now.Nanoseconds + Spec.PortReuseDelay.Nanoseconds));
        slot.Connections--;
        Count(now, state, (int)ip, -1);
    }

    /// <summary>
    /// Starts a new measurement window at <paramref name="now"/> (after warm-up): counters go to
    /// zero, peaks to the current levels, means restart. O(destinations).
    /// </summary>
    public void RestartStatistics(SimTime now)
    {
        Allocated = 0;
        Failures = 0;
        _total.StartWindow(now);
        for (int i = 0; i < _perIp.Length; i++) _perIp[i].StartWindow(now);
        PeakHeldPerDestination = 0;
        foreach (DestinationState state in _byDestination.Values)
        {
            state.Total.StartWindow(now);
            foreach (Slot? slot in state.Slots)
            {
                if (slot is null) continue;
                DrainCooled(slot, now);
                PeakHeldPerDestination = Math.Max(PeakHeldPerDestination, slot.BlockHeld?.Max() ?? slot.Connections + slot.Cooling.Count);
            }
        }
    }

    /// <summary>Finds a public IP and port for the flow (from a random IP with a shared pool, in the VM's block otherwise) and holds the port.</summary>
    private bool TryPlace(SimTime now, DestinationState state, in FlowTuple nodeSide, [NotNullWhen(true)] out Slot? slot, out int ip, out int offset)
    {
        if (_vmBlocks is { } blocks)
        {
            if (blocks.TryGet(nodeSide.SourceIp.Value, out ip, out int first) && TryTake(now, state, ip, first, blocks.PortsPerVm, out slot, out offset))
                return true;
        }
        else
        {
            int ipCount = Spec.PublicIpCount;
            int start = ipCount == 1 ? 0 : _random.Next(ipCount);
            for (int k = 0; k < ipCount; k++)
            {
                ip = start + k < ipCount ? start + k : start + k - ipCount;
                if (TryTake(now, state, ip, 0, _portsPerIp, out slot, out offset)) return true;
            }
        }
        slot = null;
        ip = offset = -1;
        return false;
    }

    private bool TryTake(SimTime now, DestinationState state, int ip, int first, int length, [NotNullWhen(true)] out Slot? slot, out int offset)
    {
        Slot taken = slot = state.Slots[ip] ??= new Slot(_portsPerIp, _vmBlocks is null ? 0 : _portsPerIp / _vmBlocks.PortsPerVm);
        DrainCooled(taken, now);
        offset = taken.Connections + taken.Cooling.Count < Spec.MaxConnectionsPerDestination
            ? taken.Ports.FindFree(first, length, first + _random.Next(length))
            : -1;
        if (offset < 0) return false;
        taken.Ports.Add(offset);
        int held = taken.Connections + taken.Cooling.Count + 1;
        if (taken.BlockHeld is { } blockHeld) held = ++blockHeld[offset / _vmBlocks!.PortsPerVm];
        if (held > PeakHeldPerDestination) PeakHeldPerDestination = held;
        return true;
    }

    /// <summary>Frees the ports whose reuse delay has ended (the FIFO is in expiry order).</summary>
    private void DrainCooled(Slot slot, SimTime now)
    {
        while (slot.Cooling.TryPeek(out (int Offset, long FreeAtNs) head) && head.FreeAtNs <= now.Nanoseconds)
        {
            slot.Cooling.Dequeue();
            Free(slot, head.Offset);
        }
    }

    /// <summary>The port is free again toward the slot's destination (and no longer held by its VM block).</summary>
    private void Free(Slot slot, int offset)
    {
        slot.Ports.Remove(offset);
        if (slot.BlockHeld is { } blockHeld) blockHeld[offset / _vmBlocks!.PortsPerVm]--;
    }

    private void Count(SimTime now, DestinationState state, int ip, int delta)
    {
        _total.Update(now, _total.Value + delta);
        _perIp[ip].Update(now, _perIp[ip].Value + delta);
        state.Total.Update(now, state.Total.Value + delta);
    }

    private DestinationState? Find(FlowDestination destination) =>
        _byDestination.TryGetValue(destination.Key, out DestinationState? state) ? state : null;

    private DestinationState StateOf(FlowDestination destination)
    {
        if (!_byDestination.TryGetValue(destination.Key, out DestinationState? state))
        {
            state = new DestinationState(Spec.PublicIpCount);
            _byDestination.Add(destination.Key, state);
        }
        return state;
    }

    /// <summary>One destination: its mappings over all IPs, and a slot per public IP that has served it.</summary>
    private sealed class DestinationState(int publicIpCount)
    {
        public readonly Slot?[] Slots = new Slot?[publicIpCount];
        public readonly TimeWeightedAverage Total = new(SimTime.Zero);
    }

    /// <summary>One (public IP, destination) pair: ports held (in use or cooling), connections, cooling FIFO, and with per-VM blocks the ports each block holds.</summary>
    private sealed class Slot(int portsPerIp, int blocks)
    {
        public readonly PortSet Ports = new(portsPerIp);
        public readonly int[]? BlockHeld = blocks > 0 ? new int[blocks] : null;
        public readonly Queue<(int Offset, long FreeAtNs)> Cooling = new();
        public int Connections;
    }
}
