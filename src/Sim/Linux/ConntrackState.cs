namespace ClusterNetPerf.Sim.Linux;

/// <summary>
/// The states of a conntrack entry that the model distinguishes; each has its own timeout
/// (<see cref="ConntrackTimeouts"/>). A TCP entry is assured once the handshake has been seen
/// both ways; a UDP entry once a reply has been seen; an entry stays assured through the
/// closing states.
/// </summary>
public enum ConntrackState : byte
{
    /// <summary>TCP, SYN seen, no reply yet (not assured: may be early-dropped).</summary>
    TcpSynSent,
    /// <summary>TCP, handshake complete (assured).</summary>
    TcpEstablished,
    /// <summary>TCP, closed with FINs; the entry lingers for TIME_WAIT.</summary>
    TcpTimeWait,
    /// <summary>UDP, no reply yet (not assured).</summary>
    UdpUnreplied,
    /// <summary>UDP, reply seen (assured).</summary>
    UdpReplied,
    /// <summary>TCP, reset (RST seen): the entry lingers for the CLOSE timeout, 10 s.</summary>
    TcpClose,
}
