using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Linux;

/// <summary>
/// How long an entry lives after its last state change, per state. Defaults are kube-proxy's
/// on a Linux node (Documentation/networking/nf_conntrack-sysctl.rst; kube-proxy
/// pkg/proxy/apis/config defaults; net/netfilter/nf_conntrack_proto_tcp.c tcp_timeouts[]).
/// </summary>
public sealed record ConntrackTimeouts
{
    /// <summary>nf_conntrack_tcp_timeout_syn_sent: 120 s (kernel default).</summary>
    public SimTime TcpSynSent { get; init; } = SimTime.FromSeconds(120);
    /// <summary>nf_conntrack_tcp_timeout_established: 86,400 s as kube-proxy sets it (kernel default 432,000 s).</summary>
    public SimTime TcpEstablished { get; init; } = SimTime.FromSeconds(86_400);
    /// <summary>nf_conntrack_tcp_timeout_time_wait: 120 s (kernel default).</summary>
    public SimTime TcpTimeWait { get; init; } = SimTime.FromSeconds(120);
    /// <summary>nf_conntrack_tcp_timeout_close: 10 s (kernel default, tcp_timeouts[TCP_CONNTRACK_CLOSE]), after a RST.</summary>
    public SimTime TcpClose { get; init; } = SimTime.FromSeconds(10);
    /// <summary>nf_conntrack_udp_timeout: 30 s (kernel default), for unreplied and replied UDP alike.</summary>
    public SimTime Udp { get; init; } = SimTime.FromSeconds(30);

    /// <summary>The timeout of <paramref name="state"/>.</summary>
    public SimTime For(ConntrackState state) => state switch
    {
        ConntrackState.TcpSynSent => TcpSynSent,
        ConntrackState.TcpEstablished => TcpEstablished,
        ConntrackState.TcpTimeWait => TcpTimeWait,
        ConntrackState.TcpClose => TcpClose,
        _ => Udp,
    };
}
