using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Ebpf;

/// <summary>
/// Cilium's kube-proxy replacement maps on each node: the CT maps (TCP and non-TCP), the NAT
/// map, the service LB maps, their map type, the CT lifetimes and the SNAT port range, with
/// Cilium's defaults. Read from cilium/cilium (main as of 2025, the v1.18 line):
/// pkg/maps/mapsize (flags, defaults and the dynamic sizing; the same rules lived in
/// pkg/option/config.go calculateDynamicBPFMapSizes before), Documentation/network/ebpf/maps.rst,
/// bpf/lib/conntrack.h, bpf/lib/nat.h, daemon/cmd flags for the CT timeouts.
/// </summary>
public sealed record EbpfOptions
{
    /// <summary>--bpf-ct-global-tcp-max default when dynamic sizing is off: 2 &lt;&lt; 18 = 524,288.</summary>
    public const long CtGlobalTcpDefault = 2 << 18;
    /// <summary>--bpf-ct-global-any-max default when dynamic sizing is off: 2 &lt;&lt; 17 = 262,144.</summary>
    public const long CtGlobalAnyDefault = 2 << 17;
    /// <summary>--bpf-nat-global-max default: 2/3 of the default CT size, (524,288 + 262,144) × 2 / 3 = 524,288.</summary>
    public const long NatGlobalDefault = (CtGlobalTcpDefault + CtGlobalAnyDefault) * 2 / 3;
    /// <summary>LimitTableMin: the agent refuses CT or NAT maps smaller than 1 Ki entries.</summary>
    public const long LimitTableMin = 1 << 10;
    /// <summary>LimitTableMax: the agent refuses maps larger than 16 Mi entries.</summary>
    public const long LimitTableMax = 1 << 24;
    /// <summary>Dynamic sizing never goes below 128 Ki TCP CT entries (limitTableAutoGlobalTCPMin).</summary>
    public const long AutoTcpMin = 1 << 17;
    /// <summary>Dynamic sizing never goes below 64 Ki non-TCP CT entries (limitTableAutoGlobalAnyMin).</summary>
    public const long AutoAnyMin = 1 << 16;
    /// <summary>Dynamic sizing never goes below 128 Ki NAT entries (limitTableAutoNatGlobalMin).</summary>
    public const long AutoNatMin = 1 << 17;

    /// <summary>
    /// The bytes the dynamically sized maps take at their default sizes, per 256 Ki entries:
    /// 3 × CT + 2 × (NAT + neighbour) + socket rev-NAT element, each at its IPv6 key and value
    /// size (mapsize.totalMapMemoryDefault = 524,288 CT TCP + 262,144 CT any + 524,288 NAT +
    /// 524,288 neighbour + 262,144 sock rev-NAT elements). 566 is the sum that reproduces the
    /// table of Documentation/network/ebpf/maps.rst at ratio 0.0025 exactly (30 GiB → 284,560;
    /// 60 GiB → 569,120; 120 GiB → 1,138,240; 240 GiB → 2,276,480 CT entries); the element sizes
    /// themselves change between releases.
    /// </summary>
    public const long DefaultMapBytesPer256Ki = 566;

    /// <summary>
    /// The node's total memory, which dynamic sizing takes a ratio of. Default 30 GiB: the docs'
    /// table pairs it with an 8-vCPU node, matching <see cref="ClusterOptions.NodeCpus"/> (estimate).
    /// </summary>
    public ByteSize NodeMemory { get; init; } = ByteSize.FromMebibytes(30 * 1024);

    /// <summary>
    /// --bpf-map-dynamic-size-ratio: the share of <see cref="NodeMemory"/> the CT, NAT and
    /// neighbour maps are sized from (Cilium's default 0.0025, the agent's and Helm's); 0 turns
    /// dynamic sizing off and the fixed defaults apply.
    /// </summary>
    public double MapDynamicSizeRatio { get; init; } = 0.0025;

    /// <summary>--bpf-ct-global-tcp-max; null: dynamic sizing (or 524,288 with the ratio 0).</summary>
    public long? CtGlobalTcpMax { get; init; }
    /// <summary>--bpf-ct-global-any-max; null: dynamic sizing (or 262,144 with the ratio 0).</summary>
    public long? CtGlobalAnyMax { get; init; }
    /// <summary>--bpf-nat-global-max; null: dynamic sizing, capped at 2/3 of the CT maps.</summary>
    public long? NatGlobalMax { get; init; }

    /// <summary>--bpf-lb-map-max: entries of the service and the backend maps (default 65,536).</summary>
    public long LbMapMax { get; init; } = 65_536;

    /// <summary>The CT and NAT maps' type (Cilium: LRU hash).</summary>
    public BpfMapType MapType { get; init; } = BpfMapType.LruHash;

    /// <summary>--bpf-ct-timeout-regular-tcp (and -service-tcp): a TCP entry that has seen a non-SYN packet, 21,600 s.</summary>
    public SimTime TcpLifetime { get; init; } = SimTime.FromSeconds(21_600);
    /// <summary>--bpf-ct-timeout-regular-tcp-syn: a TCP entry that has seen only SYNs, 60 s.</summary>
    public SimTime TcpSynTimeout { get; init; } = SimTime.FromSeconds(60);
    /// <summary>--bpf-ct-timeout-regular-tcp-fin: a TCP entry closing in both directions (FIN or RST), 10 s.</summary>
    public SimTime TcpCloseTimeout { get; init; } = SimTime.FromSeconds(10);
    /// <summary>--bpf-ct-timeout-regular-any (and -service-any): a non-TCP entry, 60 s.</summary>
    public SimTime AnyLifetime { get; init; } = SimTime.FromSeconds(60);

    /// <summary>
    /// Ports BPF masquerading and NodePort SNAT choose from: NODEPORT_PORT_MIN_NAT (the NodePort
    /// range's end + 1 = 32,768) to NODEPORT_PORT_MAX_NAT = 65,535 (bpf/lib/nat.h, bpf/node_config.h).
    /// </summary>
    public PortRange NatPortRange { get; init; } = new(32768, 65535);

    /// <summary>The TCP CT map's size in force: explicit, or sized from memory as the agent does, or the fixed default.</summary>
    public long EffectiveCtTcpMax => CtGlobalTcpMax ?? DynamicSize(CtGlobalTcpDefault, AutoTcpMin);

    /// <summary>The non-TCP CT map's size in force.</summary>
    public long EffectiveCtAnyMax => CtGlobalAnyMax ?? DynamicSize(CtGlobalAnyDefault, AutoAnyMin);

    /// <summary>
    /// The NAT map's size in force: explicit, or sized like the CT maps and, if that would exceed
    /// the CT maps together (CT sizes given explicitly), 2/3 of them
    /// (mapsize.calculateDynamicBPFMapSizes; checkMapSizeLimits does the same for the fixed default).
    /// </summary>
    public long EffectiveNatMax
    {
        get
        {
            if (NatGlobalMax is long explicitMax) return explicitMax;
            long ct = EffectiveCtTcpMax + EffectiveCtAnyMax;
            long nat = DynamicSize(NatGlobalDefault, AutoNatMin);
            return nat > ct ? ct * 2 / 3 : nat;
        }
    }

    /// <summary>
    /// The agent's calculator: entries = default × (memory × ratio) / totalMapMemoryDefault, at
    /// least <paramref name="minimum"/>, at most <see cref="LimitTableMax"/>; the default itself
    /// when the ratio is 0 (getDynamicSizeCalculator). Integer arithmetic as in Go.
    /// </summary>
    private long DynamicSize(long entriesDefault, long minimum)
    {
        if (MapDynamicSizeRatio <= 0) return entriesDefault;
        long memoryForMaps = (long)(NodeMemory.Bytes * MapDynamicSizeRatio);
        long totalMapMemoryDefault = (1L << 18) * DefaultMapBytesPer256Ki;
        long entries = (long)((Int128)entriesDefault * memoryForMaps / totalMapMemoryDefault);
        return Math.Clamp(entries, minimum, LimitTableMax);
    }

    /// <summary>The agent's checks (mapsize.checkMapSizeLimits); empty when valid.</summary>
    /// <summary>What the agent would refuse, each named by its option.</summary>
    public IReadOnlyList<OptionProblem> Validate()
    {
        var problems = new List<OptionProblem>();
        void Check(bool valid, string option, string expected, object found)
        {
            if (!valid) problems.Add(new OptionProblem(option, expected, ClusterOptions.Text(found)));
        }
        Check(MapDynamicSizeRatio is >= 0 and <= 1, nameof(MapDynamicSizeRatio), "a ratio in [0, 1]", MapDynamicSizeRatio);
        Check(NodeMemory.Bytes > 0, nameof(NodeMemory), "a size greater than zero", NodeMemory);
        string tableRange = $"between {ClusterOptions.Text(LimitTableMin)} and {ClusterOptions.Text(LimitTableMax)} entries (cilium-agent refuses others)";
        Check(EffectiveCtTcpMax is >= LimitTableMin and <= LimitTableMax, nameof(CtGlobalTcpMax), tableRange, EffectiveCtTcpMax);
        Check(EffectiveCtAnyMax is >= LimitTableMin and <= LimitTableMax, nameof(CtGlobalAnyMax), tableRange, EffectiveCtAnyMax);
        Check(EffectiveNatMax is >= LimitTableMin and <= LimitTableMax, nameof(NatGlobalMax), tableRange, EffectiveNatMax);
        Check(EffectiveNatMax <= EffectiveCtTcpMax + EffectiveCtAnyMax, nameof(NatGlobalMax),
            $"at most the CT maps together, {ClusterOptions.Text(EffectiveCtTcpMax + EffectiveCtAnyMax)} (cilium-agent refuses more)", EffectiveNatMax);
        Check(LbMapMax >= 1, nameof(LbMapMax), "at least 1", LbMapMax);
        Check(TcpLifetime > SimTime.Zero, nameof(TcpLifetime), "a timeout greater than zero", TcpLifetime);
        Check(TcpSynTimeout > SimTime.Zero, nameof(TcpSynTimeout), "a timeout greater than zero", TcpSynTimeout);
        Check(TcpCloseTimeout > SimTime.Zero, nameof(TcpCloseTimeout), "a timeout greater than zero", TcpCloseTimeout);
        Check(AnyLifetime > SimTime.Zero, nameof(AnyLifetime), "a timeout greater than zero", AnyLifetime);
        return problems;
    }
}
