using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Ebpf;

/// <summary>
/// One node's Cilium datapath state: the global CT maps (TCP and non-TCP), the SNAT map that
/// BPF masquerading and NodePort SNAT share, and the agent's CT garbage collector.
/// </summary>
/// <remarks>
/// <para>Lifetimes, as bpf/lib/conntrack.h <c>ct_update_timeout</c> sets them on every packet:
/// a TCP entry that has seen only SYNs lives <see cref="EbpfOptions.TcpSynTimeout"/>, one that
/// has seen another packet <see cref="EbpfOptions.TcpLifetime"/>, one closing in both
/// directions <see cref="EbpfOptions.TcpCloseTimeout"/>; a non-TCP entry
/// <see cref="EbpfOptions.AnyLifetime"/>. Nothing deletes an entry at its deadline: the agent's
/// GC pass does (pkg/maps/ctmap/gc/gc.go), and deleting a CT entry deletes the SNAT pair its
/// flow made (ctmap.NatMapNext4 on the GC's events).</para>
/// <para>The GC's schedule (gc.go <c>getIntervalWithConfig</c>, pkg/defaults): the first pass
/// at the agent's start (drawn uniformly over the starting interval, as the node's boot time
/// is unknown), then every interval: 5 min at first; after a pass that deleted more than 25 %
/// of a map's max entries, the interval shrinks by that ratio (capped at 90 %, rounded to 1 s,
/// at least 10 s); below 5 % it grows 1.5× up to 12 h; a pass triggered early has its ratio
/// scaled by expected / actual interval. The datapath signals the agent when a CT insertion
/// fails (ct_create4 → send_signal_ct_fill_up) and when a new SNAT mapping needed more than
/// SNAT_SIGNAL_THRES = 16 retries; the agent then runs a pass at once. A pass over hundreds of
/// thousands of entries takes the agent seconds: the model keeps signalled passes at least the
/// minimum interval, 10 s, apart (estimate).</para>
/// <para>SNAT (bpf/lib/nat.h <c>snat_v4_new_mapping</c>): the original source port is kept if
/// it lies in <see cref="EbpfOptions.NatPortRange"/>, else one is drawn; while the reverse
/// tuple toward that (destination, port) is taken the next try draws a random port, then walks
/// up by one, SNAT_COLLISION_RETRIES = 32 tries in all; none free is DROP_NAT_NO_MAPPING
/// (counted as <see cref="DropCause.SnatPorts"/>). A mapping is two entries (SNAT and reverse
/// SNAT); a full hash map refuses it (<see cref="DropCause.EbpfMapFull"/>), an LRU map evicts.
/// An evicted SNAT entry breaks its flow in Cilium (cilium/cilium#34833); the model counts the
/// eviction and lets the connection carry on.</para>
/// </remarks>
public sealed class EbpfNodeMaps : IEventTarget, IBpfEntryRemovalListener
{
    /// <summary>SNAT_COLLISION_RETRIES (bpf/node_config.h, Cilium 1.14 and later).</summary>
    public const int SnatCollisionRetries = 32;
    /// <summary>SNAT_SIGNAL_THRES: retries above which the datapath asks the agent for a GC pass.</summary>
    private const int SnatSignalThreshold = 16;
    private static readonly SimTime GcStartingInterval = SimTime.FromSeconds(5 * 60);
    private static readonly SimTime GcMinInterval = SimTime.FromSeconds(10);
    private static readonly SimTime GcMaxInterval = SimTime.FromSeconds(12 * 3600);
    private static readonly SimTime GcRounding = SimTime.FromSeconds(1);

    private readonly Simulator _simulator;
    private readonly EbpfOptions _options;
    private readonly System.Random _random;
    private readonly IPv4Address _nodeAddress;
    /// <summary>The SNAT pair each CT entry's flow made, by CT slot; (None, None) when it made none.</summary>
    private (BpfEntryId Snat, BpfEntryId Reverse)[] _natOfTcp = [];
    private (BpfEntryId Snat, BpfEntryId Reverse)[] _natOfAny = [];
    private EventHandle _nextPass = EventHandle.None;
    private SimTime _lastPass = SimTime.MaxValue;
    private SimTime _expectedInterval = SimTime.Zero;
    private int _ctPeak;

    public EbpfNodeMaps(Simulator simulator, EbpfOptions options, IPv4Address nodeAddress, System.Random random)
    {
        _simulator = simulator;
        _options = options;
        _nodeAddress = nodeAddress;
        _random = random;
        CtTcp = new BpfFlowMap("cilium_ct4_global", options.EffectiveCtTcpMax, options.MapType) { RemovalListener = this };
        CtAny = new BpfFlowMap("cilium_ct_any4_global", options.EffectiveCtAnyMax, options.MapType) { RemovalListener = this };
        Nat = new BpfFlowMap("cilium_snat_v4_external", options.EffectiveNatMax, options.MapType) { RemovalListener = this };
        var firstPass = new SimTime((long)(random.NextDouble() * GcStartingInterval.Nanoseconds));
        NextGcPass = firstPass;
        _nextPass = simulator.Schedule(firstPass, this, 0);
    }

    public BpfFlowMap CtTcp { get; }
    public BpfFlowMap CtAny { get; }
    public BpfFlowMap Nat { get; }

    /// <summary>Highest number of CT entries (both maps) in the window.</summary>
    public int CtPeak => _ctPeak;
    /// <summary>CT entries LRU evicted in the window.</summary>
    public long CtEvicted => CtTcp.Evicted + CtAny.Evicted;
    /// <summary>When the GC's next pass falls (for tests that wait for it).</summary>
    public SimTime NextGcPass { get; private set; }
    /// <summary>New SNAT mappings that found no free port in <see cref="SnatCollisionRetries"/> tries, in the window.</summary>
    public long SnatFailures { get; private set; }
    /// <summary>GC passes run in the window.</summary>
    public long GcPasses { get; private set; }

    /// <summary>Starts the measurement window on every map.</summary>
    public void StartWindow()
    {
        CtTcp.StartWindow();
        CtAny.StartWindow();
        Nat.StartWindow();
        _ctPeak = CtTcp.Count + CtAny.Count;
        SnatFailures = 0;
        GcPasses = 0;
    }

    /// <summary>
    /// The first packet of a flow meets a CT lookup that misses: the datapath creates the entry
    /// (a SYN for TCP). False when a full hash map refused it: the packet is dropped
    /// (DROP_CT_CREATE_FAILED) and the agent is signalled.
    /// </summary>
    public bool TryTrack(in FlowTuple flow, out BpfEntryId entry)
    {
        bool tcp = flow.Protocol == IpProtocol.Tcp;
        BpfFlowMap map = tcp ? CtTcp : CtAny;
        if (!map.TryInsert(_simulator.Now, flow, tcp ? _options.TcpSynTimeout : _options.AnyLifetime, out entry))
        {
            Signal();
            return false;
        }
        _ctPeak = Math.Max(_ctPeak, CtTcp.Count + CtAny.Count);
        return true;
    }

    /// <summary>
    /// A new SNAT mapping to the node's address for <paramref name="flow"/> (as it leaves the node
    /// before SNAT), owned by the flow's CT entry <paramref name="owner"/>.
    /// </summary>
    /// <param name="port">The source port chosen.</param>
    /// <returns>Null when mapped; otherwise why the packet is dropped.</returns>
    public DropCause? TrySnat(in FlowTuple flow, BpfEntryId owner, out ushort port)
    {
        if (FindSnatPort(flow, out port, out FlowTuple reverse) is int retries)
        {
            if (retries > SnatSignalThreshold) Signal();
            return CreateMapping(flow, reverse, owner);
        }
        SnatFailures++;
        Signal();
        return DropCause.SnatPorts;
    }

    /// <summary>snat_v4_new_mapping's port search: the retries it took, or null when every try was taken.</summary>
    private int? FindSnatPort(in FlowTuple flow, out ushort port, out FlowTuple reverse)
    {
        PortRange range = _options.NatPortRange;
        port = range.Contains(flow.SourcePort) ? flow.SourcePort : Clamp(range, (uint)_random.Next());
        for (int retries = 0; retries < SnatCollisionRetries; retries++)
        {
            reverse = new FlowTuple(flow.DestinationIp, flow.DestinationPort, _nodeAddress, port, flow.Protocol);
            if (!Nat.Contains(reverse)) return retries;
            port = Clamp(range, retries == 0 ? (uint)_random.Next() : port + 1u);
        }
        reverse = default;
        return null;
    }

    /// <summary>The agent's first GC interval (gc.go: 5 min), which it then shortens or lengthens by what each pass deletes.</summary>
    public static SimTime StartingGcInterval => GcStartingInterval;

    /// <summary>
    /// Warm start: the agent has been running with <paramref name="interval"/> between passes and its next pass
    /// falls at <paramref name="nextPass"/> (so its last one was an interval before).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is not positive or the next pass is in the past.</exception>
    public void PhaseGc(SimTime interval, SimTime nextPass)
    {
        if (interval <= SimTime.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "A GC interval is positive.");
        if (nextPass < _simulator.Now) throw new ArgumentOutOfRangeException(nameof(nextPass), nextPass, "The next GC pass cannot be in the past.");
        _simulator.Cancel(_nextPass);
        _expectedInterval = interval;
        _lastPass = nextPass - interval;
        NextGcPass = nextPass;
        _nextPass = _simulator.Schedule(nextPass, this, 0);
    }

    /// <summary>
    /// Warm start: the CT entry of a flow that began before now, keyed by <paramref name="flow"/>, whose
    /// lifetime ends at <paramref name="deadline"/> (at or before now: expired, waiting for the GC), and,
    /// when <paramref name="masquerade"/>, its SNAT pair. Entries must come in the order of their last use.
    /// A full map refuses (no eviction, no signal to the agent): the warm start fills to the size.
    /// </summary>
    /// <returns>False, and nothing held, when a map had no room, the flow is tracked already, or no NAT port was free.</returns>
    public bool TryPrefill(in FlowTuple flow, SimTime deadline, bool masquerade)
    {
        SimTime now = _simulator.Now;
        BpfFlowMap ct = flow.Protocol == IpProtocol.Tcp ? CtTcp : CtAny;
        if (ct.Count >= ct.MaxEntries || ct.Contains(flow) || masquerade && Nat.Count + 2 > Nat.MaxEntries) return false;
        FlowTuple reverse = default;
        if (masquerade && FindSnatPort(flow, out _, out reverse) is null) return false;
        ct.TryInsert(now, flow, deadline - now, out BpfEntryId entry);
        _ctPeak = Math.Max(_ctPeak, CtTcp.Count + CtAny.Count);
        if (masquerade) CreateMapping(flow, reverse, entry);
        return true;
    }

    /// <summary>A packet of the flow tracked by <paramref name="entry"/> moved it to <paramref name="state"/>: its lifetime (and recency) follow. A stale id is ignored.</summary>
    public void Observe(BpfEntryId entry, ConntrackState state)
    {
        SimTime now = _simulator.Now;
        switch (state)
        {
            case ConntrackState.TcpSynSent:
                CtTcp.Use(now, entry, _options.TcpSynTimeout);
                break;
            case ConntrackState.TcpEstablished:
                CtTcp.Use(now, entry, _options.TcpLifetime);
                break;
            case ConntrackState.TcpTimeWait or ConntrackState.TcpClose:
                CtTcp.Use(now, entry, _options.TcpCloseTimeout);
                break;
            default:
                CtAny.Use(now, entry, _options.AnyLifetime);
                return;
        }
        if (CtTcp.IsLive(entry)) UseNat(NatOf(tcp: true, entry.Slot), now);
    }

    void IEventTarget.OnEvent(int kind, long argument) => RunGc();

    void IBpfEntryRemovalListener.EntryRemoved(BpfFlowMap map, BpfEntryId id, bool evicted)
    {
        if (map == Nat) return;
        ref (BpfEntryId Snat, BpfEntryId Reverse) pair = ref NatOf(map == CtTcp, id.Slot);
        Nat.Delete(pair.Snat);
        Nat.Delete(pair.Reverse);
        pair = (BpfEntryId.None, BpfEntryId.None);
    }

    private DropCause? CreateMapping(in FlowTuple flow, in FlowTuple reverse, BpfEntryId owner)
    {
        SimTime now = _simulator.Now;
        bool tcp = flow.Protocol == IpProtocol.Tcp;
        if (!Nat.TryInsert(now, flow, SimTime.MaxValue, out BpfEntryId snat))
        {
            Signal();
            return DropCause.EbpfMapFull;
        }
        if (!Nat.TryInsert(now, reverse, SimTime.MaxValue, out BpfEntryId reverseEntry))
        {
            Nat.Delete(snat);
            Signal();
            return DropCause.EbpfMapFull;
        }
        // An LRU insertion may have evicted the owner's own CT entry meanwhile; then the pair is an orphan left to LRU.
        BpfFlowMap ct = tcp ? CtTcp : CtAny;
        if (ct.IsLive(owner)) NatOf(tcp, owner.Slot) = (snat, reverseEntry);
        return null;
    }

    private void UseNat((BpfEntryId Snat, BpfEntryId Reverse) pair, SimTime now)
    {
        Nat.Use(now, pair.Snat, SimTime.MaxValue);
        Nat.Use(now, pair.Reverse, SimTime.MaxValue);
    }

    private static ushort Clamp(PortRange range, uint value) => (ushort)(range.First + value % (uint)range.Size);

    private ref (BpfEntryId Snat, BpfEntryId Reverse) NatOf(bool tcp, int slot)
    {
        ref var pairs = ref tcp ? ref _natOfTcp : ref _natOfAny;
        if (slot >= pairs.Length)
        {
            int old = pairs.Length;
            Array.Resize(ref pairs, Math.Max(Math.Max(64, old * 2), slot + 1));
            pairs.AsSpan(old).Fill((BpfEntryId.None, BpfEntryId.None));
        }
        return ref pairs[slot];
    }

    /// <summary>The datapath asks for a pass now; the agent runs it as soon as its last one is 10 s behind.</summary>
    private void Signal()
    {
        SimTime now = _simulator.Now;
        SimTime at = _lastPass == SimTime.MaxValue ? now : SimTime.Max(now, _lastPass + GcMinInterval);
        if (at >= NextGcPass) return;
        _simulator.Cancel(_nextPass);
        NextGcPass = at;
        _nextPass = _simulator.Schedule(at, this, 0);
    }

    private void RunGc()
    {
        SimTime now = _simulator.Now;
        double ratio = Math.Max(
            CtTcp.CollectExpired(now) / (double)CtTcp.MaxEntries,
            CtAny.CollectExpired(now) / (double)CtAny.MaxEntries);
        SimTime actual = _lastPass == SimTime.MaxValue ? SimTime.Zero : now - _lastPass;
        _lastPass = now;
        GcPasses++;
        _expectedInterval = NextInterval(actual, _expectedInterval, ratio);
        NextGcPass = now + _expectedInterval;
        _nextPass = _simulator.Schedule(NextGcPass, this, 0);
    }

    /// <summary>gc.go getIntervalWithConfig and calculateIntervalWithConfig, without the --conntrack-gc-interval override.</summary>
    public static SimTime NextInterval(SimTime actualPrevious, SimTime expectedPrevious, double deleteRatio)
    {
        if (expectedPrevious == SimTime.Zero) expectedPrevious = GcStartingInterval;
        else if (actualPrevious < expectedPrevious && actualPrevious > SimTime.Zero)
            deleteRatio *= expectedPrevious.Nanoseconds / (double)actualPrevious.Nanoseconds;
        if (deleteRatio == 0) return expectedPrevious;
        if (deleteRatio > 0.25)
            return SimTime.Max(Round(expectedPrevious.Nanoseconds * (1 - Math.Min(deleteRatio, 0.9))), GcMinInterval);
        if (deleteRatio < 0.05)
            return SimTime.Min(Round(expectedPrevious.Nanoseconds * 1.5), GcMaxInterval);
        return expectedPrevious;
    }

    /// <summary>Go's Duration.Round(1 s): to the nearest second, halves away from zero.</summary>
    private static SimTime Round(double nanoseconds) =>
        SimTime.FromSeconds(Math.Round(nanoseconds / GcRounding.Nanoseconds, MidpointRounding.AwayFromZero));
}
