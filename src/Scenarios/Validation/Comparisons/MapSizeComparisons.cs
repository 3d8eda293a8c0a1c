using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Network;
using static ClusterNetPerf.Scenarios.Validation.ValidationSuite;

namespace ClusterNetPerf.Scenarios.Validation.Comparisons;

/// <summary>Cilium's CT map size at the dynamic size ratio, against the table in its documentation.</summary>
internal static class MapSizeComparisons
{
    private const string CiliumMaps = "cilium/cilium Documentation/network/ebpf/maps.rst, table at --bpf-map-dynamic-size-ratio 0.0025";

    public static ValidationGroup Group()
    {
        var published = new (double GiB, long Entries, string? Disagreement)[]
        {
            (7.5, 131_072, null),
            (15, 131_072, "The agent's rule (ratio × memory ÷ entry size, floor 128 Ki) gives half the 30 GiB row, 142,280; the docs print the floor. No rule of the agent gives 131,072 here."),
            (30, 284_560, null),
            (120, 1_138_240, null),
            (360, 4_552_960, "The docs' 360 GiB row is not linear in memory like the others (12 × the 30 GiB row is 3,414,720); no rule of the agent gives it."),
        };
        ValidationRow[] rows =
        [
            .. published.Select(p => new ValidationRow($"Cilium CT TCP map entries, {p.GiB:0.##} GiB node", CiliumMaps, p.Entries, CtEntries(p.GiB), 0, 1e-5,
                p.Disagreement is not null, p.Disagreement ?? "EbpfOptions.EffectiveCtTcpMax (pkg/maps/mapsize arithmetic) at the default ratio.")),
        ];
        double[] memories = [4, 7.5, 10, 15, 20, 30, 60, 120, 240, 360];
        return new ValidationGroup(rows, "cilium-ct-map", new Chart("Cilium CT TCP map entries vs node memory (dynamic size ratio 0.0025)", "node memory (GiB)", "CT TCP entries (count)",
            [Series("model (EbpfOptions.EffectiveCtTcpMax)", memories.Select(gib => (gib, (double)CtEntries(gib), 0.0)))])
        {
            Markers = [Series("Cilium docs table", published.Select(p => (p.GiB, (double)p.Entries, 0.0)))],
        });
    }

    private static long CtEntries(double gib) => new EbpfOptions { NodeMemory = ByteSize.FromMebibytes(gib * 1024) }.EffectiveCtTcpMax;
}
