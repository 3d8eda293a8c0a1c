using System.Text.Json.Serialization;

namespace ClusterNetPerf.Sim.Cluster.Ebpf;

/// <summary>
/// The kernel map type behind Cilium's CT and NAT maps. Cilium creates them as
/// BPF_MAP_TYPE_LRU_HASH wherever the kernel has it (every kernel Cilium supports today; LRU
/// has been the primary way of bounding conntrack since v1.6, cilium/cilium#5048), so a full
/// map evicts its least recently used entry. A plain BPF_MAP_TYPE_HASH refuses the insertion
/// instead (-E2BIG): the wall an older datapath had.
/// </summary>
public enum BpfMapType
{
    /// <summary>BPF_MAP_TYPE_LRU_HASH: a full map evicts the least recently used entry.</summary>
    [JsonStringEnumMemberName("lru")]
    LruHash,
    /// <summary>BPF_MAP_TYPE_HASH: a full map refuses new entries until the agent's GC deletes some.</summary>
    [JsonStringEnumMemberName("hash")]
    Hash,
}
