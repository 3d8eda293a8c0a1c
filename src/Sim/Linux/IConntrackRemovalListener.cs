using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Linux;

/// <summary>
/// Told when a conntrack entry goes (timeout or early drop): NAT state that lives as long as
/// the entry, such as a MASQUERADE source port, is released then, TIME_WAIT included.
/// </summary>
public interface IConntrackRemovalListener
{
    /// <summary>The entry <paramref name="id"/>, with these tuples, was removed; <paramref name="id"/> is stale from now on.</summary>
    void EntryRemoved(ConntrackEntryId id, in FlowTuple original, in FlowTuple reply);
}
