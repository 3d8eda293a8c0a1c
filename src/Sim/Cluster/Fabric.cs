using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// The network between nodes: each node hangs off its rack switch by an uplink and a downlink
/// (NIC bandwidth and buffer, the rack switch's latency); with several racks, each rack has an
/// uplink and a downlink to the spine (fabric bandwidth, one more switch latency each way).
/// Builds the route between two pods.
/// </summary>
public sealed class Fabric
{
    private readonly IReadOnlyList<Node> _nodes;
    private readonly Link[] _rackToSpine;
    private readonly Link[] _spineToRack;

    public Fabric(IReadOnlyList<Node> nodes, Link[] rackToSpine, Link[] spineToRack)
    {
        _nodes = nodes;
        _rackToSpine = rackToSpine;
        _spineToRack = spineToRack;
    }

    /// <summary>The links of the fabric (for reports and invariants).</summary>
    public IEnumerable<Link> Links =>
        _nodes.SelectMany(n => new[] { n.Uplink, n.Downlink }).Concat(_rackToSpine).Concat(_spineToRack);

    /// <summary>
    /// The hops from a pod on <paramref name="from"/> to a pod on <paramref name="to"/>:
    /// loopback inside one pod; veth → bridge → veth on one node; otherwise out through the
    /// sender's host namespace and NIC, across the fabric, and in through the receiver's.
    /// </summary>
    public Route PodToPod(int from, int to, bool samePod)
    {
        var route = new Route();
        Node source = _nodes[from];
        if (samePod)
        {
            route.Add(source.Loopback);
            return route;
        }
        if (from == to)
        {
            route.Add(source.LocalForward);
            return route;
        }
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
        return route;
    }

    /// <summary>Builds the links of a fabric for <paramref name="options"/>.</summary>
    public static (Link[] RackToSpine, Link[] SpineToRack) BuildSpine(ClusterOptions options)
    {
        int racks = options.Racks > 1 ? options.Racks : 0;
        var up = new Link[racks];
        var down = new Link[racks];
        for (int r = 0; r < racks; r++)
        {
            up[r] = new Link($"rack-{r}/to-spine", options.FabricBandwidth, options.FabricLatency, options.NicBuffer);
            down[r] = new Link($"rack-{r}/from-spine", options.FabricBandwidth, SimTime.Zero, options.NicBuffer);
        }
        return (up, down);
    }
}
