using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// When a message's first packet (its head) and its last packet (its tail) reach, or leave, a
/// point of its route. A message of one packet has <see cref="Head"/> = <see cref="Tail"/>.
/// </summary>
/// <remarks>
/// <para>Each hop is a FIFO server of the message's units (packets on a link, GRO/TSO batches
/// on a CPU), each taking s, behind whatever it is still serving, free from B. Units that
/// arrive evenly spaced from h to t leave from c = max(h, B):</para>
/// <para>  head leaves at c + s;  tail leaves at max(c + n·s, t + s)</para>
/// <para>(the last unit leaves after all n units' work, or one unit's work after it arrived,
/// whichever is later: the departure time of unit j is max over the earlier units of their
/// arrival plus the work from them on, and for evenly spaced arrivals that maximum is at the
/// first or the last unit). Through a tandem of K such hops with no other traffic, units
/// handed over together leave hop 1 spaced s₁ and each later hop spaced max(s₁…s_k), so the
/// spacing stays even and the formula is exact; it composes to the store-and-forward packet
/// train's closed form, the message arriving whole after</para>
/// <para>  Σₖ (sₖ + dₖ) + (n − 1) · maxₖ sₖ</para>
/// <para>(dₖ the propagation after hop k), instead of Σₖ (n·sₖ + dₖ) when each hop waited for
/// the whole message. With other traffic the hop is held from the head's start to the tail's
/// end, so another message's packets are not interleaved into the gaps of a slow train.</para>
/// </remarks>
public readonly record struct PacketTrain(SimTime Head, SimTime Tail)
{
    /// <summary>A message whose packets are all handed over at <paramref name="at"/> (a socket write).</summary>
    public static PacketTrain At(SimTime at) => new(at, at);

    /// <summary>
    /// The train leaving a FIFO server free from <paramref name="freeAt"/> that serves
    /// <paramref name="units"/> units of <paramref name="perUnit"/> each, plus
    /// <paramref name="perMessage"/> once on the head. See the remarks for the rule.
    /// </summary>
    public PacketTrain Through(long freeAt, long perMessage, long perUnit, int units)
    {
        long start = Math.Max(Head.Nanoseconds, freeAt);
        long head = start + perMessage + perUnit;
        long tail = Math.Max(start + perMessage + perUnit * units, Tail.Nanoseconds + perUnit);
        return new PacketTrain(new SimTime(head), new SimTime(Math.Max(head, tail)));
    }

    /// <summary>The same train <paramref name="delay"/> later (propagation).</summary>
    public PacketTrain After(SimTime delay) => new(Head + delay, Tail + delay);
}
