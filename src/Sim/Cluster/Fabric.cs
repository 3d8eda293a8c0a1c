using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// The network between nodes and to the Internet: each node hangs off its rack switch by an
/// uplink and a downlink (NIC bandwidth and buffer, the rack switch's latency); with several
/// racks, each rack has an uplink and a downlink to the spine (fabric bandwidth, one more
/// switch latency each way); the border has a link each way to the Internet (half the RTT
/// each). Builds the routes messages take.
/// </summary>
public sealed class Fabric
{
    private readonly IReadOnlyList<Node> _nodes;
    private readonly Link[] _rackToSpine;
    private readonly Link[] _spineToRack;

    public Fabric(IReadOnlyList<Node> nodes, ClusterOptions options, InternetOptions internet)
    {
        _nodes = nodes;
        int racks = options.Racks > 1 ? options.Racks : 0;
        _rackToSpine = new Link[racks];
        _spineToRack = new Link[racks];
        for (int r = 0; r < racks; r++)
        {
            _rackToSpine[r] = new Link($"rack-{r}/to-spine", options.FabricBandwidth, options.FabricLatency, options.NicBuffer);
            _spineToRack[r] = new Link($"rack-{r}/from-spine", options.FabricBandwidth, SimTime.Zero, options.NicBuffer);
        }
        var halfRtt = new SimTime(internet.Rtt.Nanoseconds / 2);
        ToInternet = new Link("border/to-internet", internet.Bandwidth, halfRtt, options.NicBuffer);
        FromInternet = new Link("border/from-internet", internet.Bandwidth, halfRtt, options.NicBuffer);
    }

    /// <summary>Border to the Internet (through the NAT gateway).</summary>
    public Link ToInternet { get; }
    /// <summary>Internet to the border (through the load balancer).</summary>
    public Link FromInternet { get; }

    /// <summary>Every link of the fabric.</summary>
    public IEnumerable<Link> Links =>
        _nodes.SelectMany(n => new[] { n.Uplink, n.Downlink }).Concat(_rackToSpine).Concat(_spineToRack).Append(ToInternet).Append(FromInternet);

    /// <summary>
    /// From a pod on <paramref name="from"/> to a pod on <paramref name="to"/>: loopback inside
    /// one pod; veth → bridge → veth on one node; otherwise out through the sender's host
    /// namespace and NIC, across the fabric, and in through the receiver's.
    /// </summary>
    public Route PodToPod(int from, int to, bool samePod)
    {
        var route = new Route();
        if (samePod) route.Add(_nodes[from].Loopback);
        else if (from == to) route.Add(_nodes[from].LocalForward);
        else AppendNodeToNode(ref route, from, to);
        return route;
    }

    /// <summary>Appends the hops from node <paramref name="from"/>'s host namespace to node <paramref name="to"/>'s pods.</summary>
    private void AppendNodeToNode(ref Route route, int from, int to)
    {
        Node source = _nodes[from];
        Node destination = _nodes[to];
        route.Add(source.ToWire);
        route.Add(source.Uplink);
        if (source.Rack != destination.Rack)
        {
            route.Add(_rackToSpine[source.Rack]);
            route.Add(_spineToRack[destination.Rack]);
        }
        route.Add(destination.Downlink);
        route.Add(destination.FromWire);
    }

    /// <summary>From a pod on <paramref name="node"/> out to the Internet (through the NAT gateway).</summary>
    public Route PodToInternet(int node)
    {
        var route = new Route();
        AppendToInternet(ref route, node);
        return route;
    }

    /// <summary>From the Internet back to a pod on <paramref name="node"/>.</summary>
    public Route InternetToPod(int node)
    {
        var route = new Route();
        AppendFromInternetToNic(ref route, node);
        route.Add(_nodes[node].FromOutside);
        return route;
    }

    /// <summary>From the Internet (through the load balancer) to the NIC of <paramref name="entryNode"/>, before its netfilter.</summary>
    public Route InternetToNic(int entryNode)
    {
        var route = new Route();
        AppendFromInternetToNic(ref route, entryNode);
        return route;
    }

    /// <summary>
    /// From the Internet to a pod on <paramref name="serverNode"/> through <paramref name="entryNode"/>:
    /// the whole path when <paramref name="includeInternet"/>, else from the entry node's
    /// netfilter on (the SYN that was translated there).
    /// </summary>
    public Route InternetThroughNodeToPod(int entryNode, int serverNode, bool includeInternet)
    {
        var route = new Route();
        if (includeInternet) AppendFromInternetToNic(ref route, entryNode);
        route.Add(_nodes[entryNode].FromOutside);
        if (serverNode != entryNode) AppendNodeToNode(ref route, entryNode, serverNode);
        return route;
    }

    /// <summary>From a pod on <paramref name="serverNode"/> back through <paramref name="entryNode"/> to the Internet.</summary>
    public Route PodThroughNodeToInternet(int serverNode, int entryNode)
    {
        var route = new Route();
        if (serverNode != entryNode) AppendNodeToNode(ref route, serverNode, entryNode);
        AppendToInternet(ref route, entryNode);
        return route;
    }

    private void AppendToInternet(ref Route route, int node)
    {
        route.Add(_nodes[node].ToOutside);
        route.Add(_nodes[node].Uplink);
        route.Add(ToInternet);
    }

    private void AppendFromInternetToNic(ref Route route, int node)
    {
        route.Add(FromInternet);
        route.Add(_nodes[node].Downlink);
    }
}
