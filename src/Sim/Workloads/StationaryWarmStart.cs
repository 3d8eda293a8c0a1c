using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Workloads;

/// <summary>
/// <see cref="WarmStartMode.Stationary"/>: before any traffic, fills every stateful table with the
/// state that the workloads' flows closed in the past still hold, drawn from its stationary
/// distribution, so that a short ordinary warm-up replaces the minutes a table of TIME_WAIT entries
/// needs to fill.
/// </summary>
/// <remarks>
/// <para>The argument (M/G/∞): flows of a workload close as a Poisson process of rate λ (the
/// arrivals are Poisson; below saturation every flow closes, seconds after it opened), and each
/// leaves state that lasts L after it closes. Then the state present at any instant is a Poisson
/// process on the past: a Poisson(λ·L) number of items whose ages are uniform on [0, L], whatever
/// the distribution of the rest of the flow's life. The warm start draws exactly that: close times
/// as a Poisson process of rate Σλ on [−H, 0] (H, the longest L, so the times come in order and every
/// table's FIFOs are filled in deadline order), and, for each past flow, the routing choices the
/// workload's own source and the data plane make (client pod, Service, endpoint, destination,
/// source port), so each table's rate is its share by the topology, not a constant.</para>
/// <para>What a flow leaves, and for how long (the model's own rules): a TCP flow of serviceCalls,
/// podToPod or egress leaves a TIME_WAIT conntrack entry (<see cref="ConntrackTimeouts.TcpTimeWait"/>)
/// on the client's node and, when it crossed nodes, on the server's; an egress flow also holds its
/// MASQUERADE port until the entry expires, and its gateway port for
/// <see cref="NatGatewayOptions.PortReuseDelay"/> after the close. A DNS name tried (an A and AAAA
/// pair from a new socket) leaves an unreplied UDP entry for <see cref="ConntrackTimeouts.Udp"/> from
/// its first packet, on the client's node and, across nodes, on the CoreDNS pod's. An expired entry
/// stays until a GC pass reaps it: after the live entries are in, each node's GC worker is given a
/// phase uniform over the interval its table now implies, and the expired entries whose deadline
/// came after the pass before are added (lookups reap too, rarely: about 2 / buckets of them each).
/// In eBPF mode the same flows leave CT entries (and egress its SNAT pair) that live
/// <see cref="EbpfOptions.TcpCloseTimeout"/> or <see cref="EbpfOptions.AnyLifetime"/> and go at the
/// agent's GC pass; those whose lifetime ended before the pass preceding the agent's first
/// (<see cref="EbpfNodeMaps.PreviousGcPass"/>) are left out.</para>
/// <para>Left to the ordinary warm-up: the state of flows still open at the start (their lifetimes are
/// seconds), the entries of ingress and LoadBalancer flows, and the effect of limits: where λ·L is more
/// than a table holds, the table is filled to its size (an unbiased thinning of the draw, since
/// items are kept as they come) and the warm-up's own early drop, GC and refusals settle it.</para>
/// <para>Draws come from the run's "warm-start" stream only (and the tables' own streams where they
/// choose a port), so a run without a warm start sees the same numbers as before. O(λ·H) time; the
/// memory of the entries themselves, plus the expired conntrack entries held until their node's GC
/// phase is drawn.</para>
/// </remarks>
public sealed class StationaryWarmStart
{
    private const ushort HttpsPort = 443;
    private const ushort DnsPort = 53;

    /// <summary>An entry a past flow left on one node, as the node's first packet saw it.</summary>
    private readonly record struct PastEntry(FlowTuple Original, FlowTuple Translated, ConntrackState State, bool Assured, SimTime Deadline, bool Masquerade);

    private readonly ClusterModel _model;
    private readonly ClusterOptions _options;
    private readonly PodTable _pods;
    private readonly ServiceCatalog _catalog;
    private readonly IReadOnlyList<Node> _nodes;
    private readonly System.Random _random;
    private readonly bool _tracks;
    private readonly List<PastEntry>[] _expired;
    private readonly SimTime _now;

    private StationaryWarmStart(ClusterModel model)
    {
        _model = model;
        _options = model.Options;
        _pods = model.Pods;
        _catalog = model.Catalog;
        _nodes = model.Nodes;
        _random = model.Simulator.Random.Stream("warm-start");
        _tracks = model.Netfilter.Tracks;
        _expired = [.. _nodes.Select(_ => new List<PastEntry>())];
        _now = model.Simulator.Now;
    }

    /// <summary>
    /// Fills <paramref name="model"/>'s tables with the state <paramref name="workloads"/> leave in the
    /// steady state. Call once, after the model is built and before the simulator runs.
    /// </summary>
    public static void Apply(ClusterModel model, IReadOnlyList<WorkloadOptions> workloads)
    {
        var start = new StationaryWarmStart(model);
        start.FillFromPast(workloads);
        start.AddExpiredConntrackEntries();
    }

    /// <summary>How long before now a flow of this kind may have closed and still hold state at now.</summary>
    private SimTime Horizon(WorkloadKind kind)
    {
        bool udp = kind == WorkloadKind.Dns;
        if (kind is WorkloadKind.Ingress or WorkloadKind.LoadBalancer || udp && _options.Dns.NodeLocalCache) return SimTime.Zero;
        SimTime horizon;
        if (_tracks)
        {
            // An empty table's GC interval is its schedule's longest (60 s from 5.19, 120 s before): no expired entry waits longer.
            horizon = (udp ? _options.ConntrackTimeouts.Udp : _options.ConntrackTimeouts.TcpTimeWait) + _nodes[0].Conntrack.GcInterval(_now);
        }
        else
        {
            SimTime lag = _now - _nodes.Min(node => node.Ebpf!.PreviousGcPass);
            horizon = (udp ? _options.Ebpf.AnyLifetime : _options.Ebpf.TcpCloseTimeout) + lag;
        }
        return kind == WorkloadKind.Egress ? SimTime.Max(horizon, _options.NatGateway.PortReuseDelay) : horizon;
    }

    /// <summary>The past flows of every workload, merged into one Poisson process in time order, oldest first.</summary>
    private void FillFromPast(IReadOnlyList<WorkloadOptions> workloads)
    {
        var horizons = workloads.Select(workload => Horizon(workload.Kind)).ToArray();
        var rates = workloads.Select((workload, i) => horizons[i] > SimTime.Zero ? workload.ConnectionsPerSecond : 0).ToArray();
        double total = rates.Sum();
        if (total <= 0) return;
        double longest = horizons.Max().TotalSeconds;
        for (double age = longest - Exponential.Sample(_random, total); age > 0; age -= Exponential.Sample(_random, total))
        {
            int w = Pick(rates, total);
            if (age > horizons[w].TotalSeconds) continue;
            SimTime at = _now - SimTime.FromSeconds(age);
            switch (workloads[w].Kind)
            {
                case WorkloadKind.Dns:
                    PastLookup(workloads[w], at);
                    break;
                default:
                    PastConnection(workloads[w], at);
                    break;
            }
        }
    }

    private int Pick(double[] rates, double total)
    {
        double u = _random.NextDouble() * total;
        for (int w = 0; w < rates.Length - 1; w++)
        {
            if (u < rates[w]) return w;
            u -= rates[w];
        }
        return rates.Length - 1;
    }

    /// <summary>A TCP connection that closed at <paramref name="closedAt"/>, routed as its workload's source and the data plane route one.</summary>
    private void PastConnection(WorkloadOptions workload, SimTime closedAt)
    {
        int client = _random.Next(_pods.Count);
        int clientNode = _pods.NodeOf(client);
        ushort port = _model.SourcePorts.Next(client);
        var original = new FlowTuple(_pods.IpOf(client), port, default, _catalog.Port, IpProtocol.Tcp);
        SimTime closes = _tracks ? _options.ConntrackTimeouts.TcpTimeWait : _options.Ebpf.TcpCloseTimeout;
        switch (workload.Kind)
        {
            case WorkloadKind.Egress:
            {
                original = original with { DestinationIp = InternetOptions.HostAddress(_random.Next(_options.Internet.Destinations)), DestinationPort = HttpsPort };
                Leave(clientNode, new PastEntry(original, original, ConntrackState.TcpTimeWait, true, closedAt + closes, Masquerade: true));
                SimTime freeAt = closedAt + _options.NatGateway.PortReuseDelay;
                if (freeAt > _now)
                    _model.Gateway.TryPrefillCooling(_now, original with { SourceIp = _nodes[clientNode].Address }, freeAt);
                return;
            }
            case WorkloadKind.ServiceCalls:
            {
                int service = _random.Next(_options.Services);
                ReadOnlySpan<Endpoint> endpoints = _catalog.Endpoints(service, _catalog.CurrentVersion);
                int server = endpoints[_random.Next(endpoints.Length)].Pod;
                original = original with { DestinationIp = _catalog.ClusterIp(service) };
                Connected(clientNode, original, original with { DestinationIp = _pods.IpOf(server) }, _pods.NodeOf(server), clientTracked: true, closedAt + closes);
                return;
            }
            default:
            {
                // As PoissonConnectionSource picks: the client's own pod, a pod of its node, or any pod.
                double u = _random.NextDouble();
                int server = u < workload.SamePodFraction ? client
                    : u < workload.SamePodFraction + workload.SameNodeFraction ? clientNode * _options.PodsPerNode + _random.Next(_options.PodsPerNode)
                    : _random.Next(_pods.Count);
                var toPod = original with { DestinationIp = _pods.IpOf(server) };
                Connected(clientNode, toPod, toPod, _pods.NodeOf(server), clientTracked: server != client, closedAt + closes);
                return;
            }
        }
    }

    /// <summary>
    /// A pod's connection that left the client's node as <paramref name="translated"/>: its entry there
    /// (loopback inside a pod has none), and the server node's when the flow crossed nodes (in eBPF
    /// mode the server node's ingress CT entry, on every path).
    /// </summary>
    private void Connected(int clientNode, in FlowTuple original, in FlowTuple translated, int serverNode, bool clientTracked, SimTime deadline)
    {
        if (clientTracked) Leave(clientNode, new PastEntry(original, translated, ConntrackState.TcpTimeWait, true, deadline, Masquerade: false));
        if (!_tracks)
            Leave(serverNode, new PastEntry(translated.Reversed(), translated.Reversed(), ConntrackState.TcpTimeWait, true, deadline, Masquerade: false));
        else if (serverNode != clientNode)
            Leave(serverNode, new PastEntry(translated, translated, ConntrackState.TcpTimeWait, true, deadline, Masquerade: false));
    }

    /// <summary>A lookup that started at <paramref name="startedAt"/>: one UDP flow per name it tried, each from a new socket.</summary>
    private void PastLookup(WorkloadOptions workload, SimTime startedAt)
    {
        int client = _random.Next(_pods.Count);
        int clientNode = _pods.NodeOf(client);
        bool external = workload.ExternalNameFraction switch
        {
            <= 0 => false,
            >= 1 => true,
            double fraction => _random.NextDouble() < fraction,
        };
        SimTime deadline = startedAt + (_tracks ? _options.ConntrackTimeouts.Udp : _options.Ebpf.AnyLifetime);
        for (int pair = _model.Dns.PairsPerLookup(external); pair > 0; pair--)
        {
            ReadOnlySpan<Endpoint> coreDns = _catalog.Endpoints(_catalog.KubeDns, _catalog.CurrentVersion);
            int server = coreDns[_random.Next(coreDns.Length)].Pod;
            var original = new FlowTuple(_pods.IpOf(client), _model.SourcePorts.Next(client), ServiceCatalog.KubeDnsIp, DnsPort, IpProtocol.Udp);
            var translated = original with { DestinationIp = _pods.IpOf(server) };
            Leave(clientNode, new PastEntry(original, translated, ConntrackState.UdpUnreplied, false, deadline, Masquerade: false));
            int serverNode = _pods.NodeOf(server);
            if (_tracks && serverNode != clientNode)
                Leave(serverNode, new PastEntry(translated, translated, ConntrackState.UdpUnreplied, false, deadline, Masquerade: false));
        }
    }

    /// <summary>An entry on <paramref name="node"/>: into its eBPF maps unless a GC pass took it; into conntrack if live, or held for the GC's phase.</summary>
    private void Leave(int node, in PastEntry entry)
    {
        if (_nodes[node].Ebpf is EbpfNodeMaps maps)
        {
            if (entry.Deadline > maps.PreviousGcPass) maps.TryPrefill(entry.Translated, entry.Deadline, entry.Masquerade);
            return;
        }
        if (entry.Deadline > _now) AddConntrackEntry(node, entry);
        else _expired[node].Add(entry);
    }

    /// <summary>
    /// Each node's GC worker takes a phase uniform over the interval its table implies now, and the
    /// expired entries that the pass before it would have reaped are left out.
    /// </summary>
    private void AddExpiredConntrackEntries()
    {
        if (!_tracks) return;
        for (int n = 0; n < _nodes.Count; n++)
        {
            ConntrackTable table = _nodes[n].Conntrack;
            SimTime interval = table.GcInterval(_now);
            SimTime nextPass = _now + new SimTime((long)(_random.NextDouble() * interval.Nanoseconds));
            table.PhaseGc(_now, nextPass);
            SimTime previousPass = nextPass - interval;
            foreach (PastEntry entry in _expired[n])
                if (entry.Deadline > previousPass) AddConntrackEntry(n, entry);
            _expired[n].Clear();
        }
    }

    /// <summary>
    /// The entry with its MASQUERADE port: a live entry holds one (given back when it expires, as the
    /// node's removal listener does for every entry); an expired one has given its port back already,
    /// so its reply tuple keeps the pod's port and holds nothing.
    /// </summary>
    private void AddConntrackEntry(int node, in PastEntry entry)
    {
        Node host = _nodes[node];
        FlowTuple translated = entry.Translated;
        bool holdsPort = entry.Masquerade && entry.Deadline > _now;
        if (holdsPort)
        {
            if (!host.Snat.TryAllocate(translated, out ushort port)) return;
            translated = translated with { SourceIp = host.Address, SourcePort = port };
        }
        else if (entry.Masquerade) translated = translated with { SourceIp = host.Address };
        if (!host.Conntrack.TryPrefill(_now, entry.Original, translated.Reversed(), entry.State, entry.Assured, entry.Deadline) && holdsPort)
            host.Snat.Release(translated);
    }
}
