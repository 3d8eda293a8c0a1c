namespace ClusterNetPerf.Sim.Network;

/// <summary>Whoever sent a message through a <see cref="Forwarder"/> hears its fate here.</summary>
public interface IMessageSink
{
    /// <summary>The message left the last hop of its route, now.</summary>
    void OnDelivered(in Message message);

    /// <summary>The message was dropped, now, at hop <paramref name="hopIndex"/> of its route.</summary>
    void OnDropped(in Message message, HopDropReason reason, int hopIndex);
}
