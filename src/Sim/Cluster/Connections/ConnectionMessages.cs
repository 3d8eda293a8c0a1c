using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Connections;

/// <summary>The messages of a connection's life, as the engine tells them apart when they arrive.</summary>
internal enum MessageKind
{
    Syn,
    SynToEntry,
    SynAck,
    Request,
    Response,
    UpstreamRequest,
    UpstreamResponse,
}

/// <summary>
/// Puts a connection's messages on the wire: the route each takes on the connection's path
/// (from <see cref="Fabric"/>), and its size in packets and bytes — payload cut into segments
/// of MTU − 40 bytes of IPv4 and TCP headers, less the overlay's encapsulation on the part of
/// the path that crosses nodes.
/// </summary>
internal sealed class ConnectionMessages
{
    /// <summary>IPv4 (20) + TCP (20) header bytes per packet.</summary>
    private const int HeaderBytes = 40;

    private readonly Simulator _simulator;
    private readonly ClusterOptions _options;
    private readonly PodTable _pods;
    private readonly Fabric _fabric;

    public ConnectionMessages(ClusterModel cluster, Simulator simulator)
    {
        _simulator = simulator;
        _options = cluster.Options;
        _pods = cluster.Pods;
        _fabric = cluster.Fabric;
        Forwarder = new Forwarder(simulator);
    }

    /// <summary>The forwarder carrying the messages.</summary>
    public Forwarder Forwarder { get; }

    /// <summary>Sends <paramref name="kind"/> of connection <paramref name="c"/>, identified by <paramref name="flow"/>, to <paramref name="sink"/>.</summary>
    public void Send(in Connection c, MessageKind kind, long flow, IMessageSink sink)
    {
        (long payload, Route route, bool crossesNodes) = kind switch
        {
            MessageKind.Syn => (0L, ForwardRoute(c, includeInternet: c.Kind != ConnectionKind.IngressController && c.Kind != ConnectionKind.LoadBalancer), c.CrossesNodes),
            MessageKind.SynToEntry => (0L, _fabric.InternetToNic(c.ClientNode), false),
            MessageKind.Request => (c.RequestBytes, ForwardRoute(c, includeInternet: true), c.CrossesNodes),
            MessageKind.SynAck => (0L, BackRoute(c), c.CrossesNodes),
            MessageKind.Response => (c.ResponseBytes, BackRoute(c), c.CrossesNodes),
            MessageKind.UpstreamRequest => (c.RequestBytes, _fabric.PodToPod(c.ServerNode, _pods.NodeOf(c.Upstream.Pod), false), c.ServerNode != _pods.NodeOf(c.Upstream.Pod)),
            _ => (c.ResponseBytes, _fabric.PodToPod(_pods.NodeOf(c.Upstream.Pod), c.ServerNode, false), c.ServerNode != _pods.NodeOf(c.Upstream.Pod)),
        };
        int overhead = crossesNodes ? _options.CniOverheadBytes : 0;
        int segment = _options.Mtu - HeaderBytes - overhead;
        int packets = payload == 0 ? 1 : (int)((payload + segment - 1) / segment);
        var message = new Message
        {
            SizeBytes = payload + (long)packets * (HeaderBytes + overhead),
            Packets = packets,
            Kind = (int)kind,
            Flow = flow,
            SentAt = _simulator.Now,
        };
        Forwarder.Send(route, message, sink);
    }

    /// <summary>Client to server; from the Internet, the SYN translated at the entry node goes on from that node's netfilter.</summary>
    private Route ForwardRoute(in Connection c, bool includeInternet) => c.Kind switch
    {
        ConnectionKind.PodToInternet => _fabric.PodToInternet(c.ClientNode),
        ConnectionKind.LoadBalancer or ConnectionKind.IngressController => _fabric.InternetThroughNodeToPod(c.ClientNode, c.ServerNode, includeInternet),
        _ => _fabric.PodToPod(c.ClientNode, c.ServerNode, c.SamePod),
    };

    /// <summary>Server to client: the forward path reversed.</summary>
    private Route BackRoute(in Connection c) => c.Kind switch
    {
        ConnectionKind.PodToInternet => _fabric.InternetToPod(c.ClientNode),
        ConnectionKind.LoadBalancer or ConnectionKind.IngressController => _fabric.PodThroughNodeToInternet(c.ServerNode, c.ClientNode),
        _ => _fabric.PodToPod(c.ServerNode, c.ClientNode, c.SamePod),
    };
}
