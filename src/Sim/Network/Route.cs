using System.Runtime.CompilerServices;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// The hops a message crosses, in order, held inline (no array allocation): up to
/// <see cref="Capacity"/> hops, which covers pod → veth → node CPU → NIC → fabric → NIC →
/// node CPU → veth → pod or an ingress path through a NodePort on another node and the spine.
/// </summary>
public struct Route
{
    /// <summary>The most hops a route holds.</summary>
    public const int Capacity = 12;

    private HopArray _hops;

    /// <summary>Hops in the route.</summary>
    public int Count { get; private set; }

    /// <summary>The i-th hop.</summary>
    public readonly IHop this[int index] => index < Count ? _hops[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Appends a hop.</summary>
    /// <exception cref="InvalidOperationException">The route already holds <see cref="Capacity"/> hops.</exception>
    public void Add(IHop hop)
    {
        if (Count == Capacity) throw new InvalidOperationException($"A route holds at most {Capacity} hops.");
        _hops[Count++] = hop;
    }

    [InlineArray(Capacity)]
    private struct HopArray
    {
        private IHop _first;
    }
}
