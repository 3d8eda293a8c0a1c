using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

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
/// stays until a GC pass reaps it: each node's GC worker is given a phase uniform over the interval
/// its live entries imply (<see cref="ConntrackTable.GcInterval"/>), and only the expired entries whose
/// deadline came after the pass before are added (lookups reap too, rarely: about 2 / buckets of them
/// each). In eBPF mode the same flows leave CT entries (and egress its SNAT pair) that live
/// <see cref="EbpfOptions.TcpCloseTimeout"/> or <see cref="EbpfOptions.AnyLifetime"/> and go at the
/// agent's GC pass: the agent is given the interval its own rule settles on for this rate of deletions
/// (<see cref="AgentGcInterval"/>) and a uniform phase, and the entries its last pass deleted are left out.</para>
/// <para>Where λ·L is more than a table holds (conntrack's nf_conntrack_max, the gateway's ports toward
/// one destination), the table is filled to its size with a uniformly random subset of the draw
/// (in time order): at the limit the state that survives is the state admitted, at the lower rate the limit allows, with the same uniform ages
/// (filling with the first-come, the oldest, would leave a table that empties early and under-reports
/// drops). An LRU eBPF map keeps the newest, as its eviction does; a node whose eBPF hash map is above
/// its size is left as without a warm start (<see cref="HashMapAboveItsSize"/>). The warm-up's own
/// early drop, GC and refusals settle the rest. So the draw is made twice with the same random
/// sequence: once to count each table's candidates, once to fill (<see cref="SelectionQuota"/>).</para>
/// <para>Left to the ordinary warm-up: the state of flows still open at the start (their lifetimes are
/// seconds below the limits; above them, SYNs retried for up to 127 s), and the entries of ingress and
/// LoadBalancer flows. With per-VM gateway port blocks the gateway is filled first-come.</para>
/// <para>Draws come from the run's own streams "warm-start" (the past flows, replayed for the two passes),
/// "warm-start-thinning" and "warm-start-phase" (and the tables' own streams where they choose a port), so
/// a run without a warm start sees the same numbers as before. O(λ·H) time; memory: the entries themselves,
/// plus a deadline per expired conntrack entry and per eBPF CT entry until the node's GC phase is drawn.</para>
/// </remarks>
public sealed class StationaryWarmStart
{
    private const ushort HttpsPort = 443;
    private const ushort DnsPort = 53;

    private enum Pass
    {
        /// <summary>Counts each table's candidates.</summary>
        Counting,
        /// <summary>Fills each table with its share of them.</summary>
        Filling,
    }

    /// <summary>An entry a past flow left on one node, as the node's first packet saw it.</summary>
    private readonly record struct PastEntry(FlowTuple Original, FlowTuple Translated, ConntrackState State, bool Assured, SimTime Deadline, bool Masquerade);

    private readonly ClusterModel _model;
    private readonly ClusterOptions _options;
    private readonly PodTable _pods;
    private readonly ServiceCatalog _catalog;
    private readonly IReadOnlyList<Node> _nodes;
    private readonly int _pastSeed;
    private readonly System.Random _thinning;
    private readonly System.Random _phase;
    private readonly bool _tracks;
    private readonly SimTime _now;
    private readonly SelectionQuota[] _conntrack;
    private readonly ConntrackPopulation[] _live;
    private readonly List<long>[] _expired;
    private readonly SimTime[] _previousGcPass;
    private readonly SelectionQuota[] _ctTcp;
    private readonly SelectionQuota[] _ctAny;
    /// <summary>Per node, the deadlines of the CT entries the draw made (TCP map, then non-TCP map), until the agent's GC phase is set.</summary>
    private readonly List<long>[] _ctTcpDeadlines;
    private readonly List<long>[] _ctAnyDeadlines;
    private readonly Dictionary<ulong, SelectionQuota> _gateway = [];
    private System.Random _random;
    private Pass _pass;

    private StationaryWarmStart(ClusterModel model)
    {
        _model = model;
        _options = model.Options;
        _pods = model.Pods;
        _catalog = model.Catalog;
        _nodes = model.Nodes;
        RandomStreams streams = model.Simulator.Random;
        _pastSeed = RandomStreams.DeriveSeed(streams.MasterSeed, "warm-start");
        _random = new Xoshiro256StarStar(_pastSeed, threadSafe: false);
        _thinning = streams.Stream("warm-start-thinning");
        _phase = streams.Stream("warm-start-phase");
        _tracks = model.Netfilter.Tracks;
        _now = model.Simulator.Now;
        int nodes = _nodes.Count;
        _conntrack = [.. Enumerable.Range(0, nodes).Select(_ => new SelectionQuota())];
        _live = [.. Enumerable.Range(0, nodes).Select(_ => new ConntrackPopulation())];
        _expired = [.. Enumerable.Range(0, nodes).Select(_ => new List<long>())];
        _previousGcPass = new SimTime[nodes];
        _ctTcp = [.. Enumerable.Range(0, nodes).Select(_ => new SelectionQuota())];
        _ctAny = [.. Enumerable.Range(0, nodes).Select(_ => new SelectionQuota())];
        _ctTcpDeadlines = [.. Enumerable.Range(0, nodes).Select(_ => new List<long>())];
        _ctAnyDeadlines = [.. Enumerable.Range(0, nodes).Select(_ => new List<long>())];
    }

    /// <summary>
    /// Fills <paramref name="model"/>'s tables with the state <paramref name="workloads"/> leave in the
    /// steady state. Call once, after the model is built and before the simulator runs.
    /// </summary>
    public static void Apply(ClusterModel model, IReadOnlyList<WorkloadOptions> workloads)
    {
        var start = new StationaryWarmStart(model);
        start.Replay(workloads, Pass.Counting);
        start.SetQuotas();
        start.Replay(workloads, Pass.Filling);
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
            SimTime longestGcInterval = _nodes[0].Conntrack.GcInterval(_now, new ConntrackPopulation());
            horizon = (udp ? _options.ConntrackTimeouts.Udp : _options.ConntrackTimeouts.TcpTimeWait) + longestGcInterval;
        }
        else
        {
            // The warm start never sets the agent's interval above its starting one (see AgentGcInterval).
            horizon = (udp ? _options.Ebpf.AnyLifetime : _options.Ebpf.TcpCloseTimeout) + EbpfNodeMaps.StartingGcInterval;
        }
        return kind == WorkloadKind.Egress ? SimTime.Max(horizon, _options.NatGateway.PortReuseDelay) : horizon;
    }

    /// <summary>The past flows of every workload, merged into one Poisson process in time order, oldest first; the same flows on every pass.</summary>
    private void Replay(IReadOnlyList<WorkloadOptions> workloads, Pass pass)
    {
        _pass = pass;
        _random = new Xoshiro256StarStar(_pastSeed, threadSafe: false);
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
            if (workloads[w].Kind == WorkloadKind.Dns) PastLookup(workloads[w], at);
            else PastConnection(workloads[w], at);
        }
    }

    /// <summary>
    /// Between the passes: each node's GC worker takes a phase uniform over the interval its live entries
    /// imply, which decides the expired entries still unreaped; then each table keeps at most its size.
    /// </summary>
    private void SetQuotas()
    {
        for (int n = 0; n < _nodes.Count; n++)
        {
            if (_nodes[n].Ebpf is EbpfNodeMaps maps)
            {
                if (HashMapAboveItsSize(maps.CtTcp, _ctTcpDeadlines[n]) || HashMapAboveItsSize(maps.CtAny, _ctAnyDeadlines[n]))
                {
                    // Left as without a warm start (see HashMapAboveItsSize).
                    _previousGcPass[n] = SimTime.MaxValue;
                    _ctTcpDeadlines[n].Clear();
                    _ctAnyDeadlines[n].Clear();
                    continue;
                }
                SimTime agentInterval = AgentGcInterval(maps, _ctTcpDeadlines[n], _ctAnyDeadlines[n]);
                SimTime agentNextPass = _now + new SimTime((long)(_phase.NextDouble() * agentInterval.Nanoseconds));
                maps.PhaseGc(agentInterval, agentNextPass);
                _previousGcPass[n] = agentNextPass - agentInterval;
                SetMapQuota(_ctTcp[n], maps.CtTcp, _ctTcpDeadlines[n], _previousGcPass[n]);
                SetMapQuota(_ctAny[n], maps.CtAny, _ctAnyDeadlines[n], _previousGcPass[n]);
                continue;
            }
            if (!_tracks) continue;
            ConntrackTable table = _nodes[n].Conntrack;
            SimTime interval = table.GcInterval(_now, _live[n]);
            SimTime nextPass = _now + new SimTime((long)(_phase.NextDouble() * interval.Nanoseconds));
            table.PhaseGc(_now, nextPass);
            _previousGcPass[n] = nextPass - interval;
            _conntrack[n].Candidates += _expired[n].Count(deadline => deadline > _previousGcPass[n].Nanoseconds);
            _conntrack[n].Keep = Math.Min(_conntrack[n].Candidates, table.MaxEntries);
            _expired[n].Clear();
        }
        NatGateway gateway = _model.Gateway;
        long perDestination = gateway.Spec.PortsPerVm > 0 ? long.MaxValue : (long)gateway.Spec.PublicIpCount * gateway.PortsPerDestinationLimit;
        foreach (SelectionQuota quota in _gateway.Values) quota.Keep = Math.Min(quota.Candidates, perDestination);
    }

    /// <summary>
    /// The agent's GC interval in the steady state: a pass deletes the entries whose lifetime ended since the
    /// last one, r × interval of them (r, the rate at which the draw's entries reach their deadline, over the
    /// starting interval), at most a map's size; the agent's own rule (<see cref="EbpfNodeMaps.NextInterval"/>)
    /// is iterated from its starting interval to its fixed point. It is kept at most the starting interval: a
    /// map the GC deletes under 5 % of a pass would see the agent lengthen its interval 1.5× a pass toward
    /// 12 h, over hours that no run covers.
    /// </summary>
    private SimTime AgentGcInterval(EbpfNodeMaps maps, List<long> tcpDeadlines, List<long> anyDeadlines)
    {
        SimTime starting = EbpfNodeMaps.StartingGcInterval;
        long since = (_now - starting).Nanoseconds;
        double tcpRate = tcpDeadlines.Count(deadline => deadline > since && deadline <= _now.Nanoseconds) / starting.TotalSeconds;
        double anyRate = anyDeadlines.Count(deadline => deadline > since && deadline <= _now.Nanoseconds) / starting.TotalSeconds;
        SimTime interval = starting;
        for (int pass = 0; pass < 100; pass++)
        {
            double ratio = Math.Max(
                Math.Min(tcpRate * interval.TotalSeconds, maps.CtTcp.MaxEntries) / maps.CtTcp.MaxEntries,
                Math.Min(anyRate * interval.TotalSeconds, maps.CtAny.MaxEntries) / maps.CtAny.MaxEntries);
            SimTime next = SimTime.Min(EbpfNodeMaps.NextInterval(interval, interval, ratio), starting);
            if (next == interval) break;
            interval = next;
        }
        return interval;
    }

    /// <summary>
    /// A hash map (one that refuses when full) whose entries from closed flows alone outnumber its size, over
    /// the agent's starting interval. Its stationary state is made by the refusals themselves: the SYN entries
    /// of refused flows retrying for 127 s, and passes the datapath's signals bring every 10 s. Filling it (to
    /// its size or not at all) with the agent phased as the warm start phases it gave 944 ± 15 drops/s after a
    /// further 200 s, against 886 ± 33 after 1,000 s from empty (two nodes, 150 connections/s, 1,024 entries);
    /// so such a node is left as without a warm start, to an ordinary warm-up (500 s gave 882 ± 32 there).
    /// </summary>
    private bool HashMapAboveItsSize(BpfFlowMap map, List<long> deadlines) =>
        map.Type == BpfMapType.Hash && deadlines.Count(deadline => deadline > (_now - EbpfNodeMaps.StartingGcInterval).Nanoseconds) > map.MaxEntries;

    /// <summary>An eBPF map's candidates are the entries its last GC pass left; above its size an LRU map holds the most recently used, the newest.</summary>
    private static void SetMapQuota(SelectionQuota quota, BpfFlowMap map, List<long> deadlines, SimTime previousGcPass)
    {
        quota.Candidates = deadlines.Count(deadline => deadline > previousGcPass.Nanoseconds);
        quota.Newest = map.Type == BpfMapType.LruHash;
        quota.Keep = Math.Min(quota.Candidates, map.MaxEntries);
        deadlines.Clear();
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

    /// <summary>The source port the pod's socket took (ports are only taken when filling, so both passes draw alike).</summary>
    private ushort SourcePort(int pod) => _pass == Pass.Filling ? _model.SourcePorts.Next(pod) : (ushort)0;

    /// <summary>A TCP connection that closed at <paramref name="closedAt"/>, routed as its workload's source and the data plane route one.</summary>
    private void PastConnection(WorkloadOptions workload, SimTime closedAt)
    {
        int client = _random.Next(_pods.Count);
        int clientNode = _pods.NodeOf(client);
        var original = new FlowTuple(_pods.IpOf(client), SourcePort(client), default, _catalog.Port, IpProtocol.Tcp);
        SimTime deadline = closedAt + (_tracks ? _options.ConntrackTimeouts.TcpTimeWait : _options.Ebpf.TcpCloseTimeout);
        switch (workload.Kind)
        {
            case WorkloadKind.Egress:
            {
                original = original with { DestinationIp = InternetOptions.HostAddress(_random.Next(_options.Internet.Destinations)), DestinationPort = HttpsPort };
                Leave(clientNode, new PastEntry(original, original, ConntrackState.TcpTimeWait, true, deadline, Masquerade: true));
                SimTime freeAt = closedAt + _options.NatGateway.PortReuseDelay;
                if (freeAt > _now) Cooling(original with { SourceIp = _nodes[clientNode].Address }, freeAt);
                return;
            }
            case WorkloadKind.ServiceCalls:
            {
                int service = _random.Next(_options.Services);
                ReadOnlySpan<Endpoint> endpoints = _catalog.Endpoints(service, _catalog.CurrentVersion);
                int server = endpoints[_random.Next(endpoints.Length)].Pod;
                original = original with { DestinationIp = _catalog.ClusterIp(service) };
                Connected(clientNode, original, original with { DestinationIp = _pods.IpOf(server) }, _pods.NodeOf(server), clientTracked: true, deadline);
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
                Connected(clientNode, toPod, toPod, _pods.NodeOf(server), clientTracked: server != client, deadline);
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
            var original = new FlowTuple(_pods.IpOf(client), SourcePort(client), ServiceCatalog.KubeDnsIp, DnsPort, IpProtocol.Udp);
            var translated = original with { DestinationIp = _pods.IpOf(server) };
            Leave(clientNode, new PastEntry(original, translated, ConntrackState.UdpUnreplied, false, deadline, Masquerade: false));
            int serverNode = _pods.NodeOf(server);
            if (_tracks && serverNode != clientNode)
                Leave(serverNode, new PastEntry(translated, translated, ConntrackState.UdpUnreplied, false, deadline, Masquerade: false));
        }
    }

    /// <summary>An entry on <paramref name="node"/>: eBPF maps unless a GC pass took it, conntrack unless its GC reaped it; counted, or kept by its table's quota.</summary>
    private void Leave(int node, in PastEntry entry)
    {
        if (_nodes[node].Ebpf is EbpfNodeMaps maps)
        {
            bool tcp = entry.Original.Protocol == IpProtocol.Tcp;
            if (_pass == Pass.Counting) (tcp ? _ctTcpDeadlines : _ctAnyDeadlines)[node].Add(entry.Deadline.Nanoseconds);
            else if (entry.Deadline > _previousGcPass[node] && (tcp ? _ctTcp[node] : _ctAny[node]).Take(_thinning))
                maps.TryPrefill(entry.Translated, entry.Deadline, entry.Masquerade);
            return;
        }
        if (_pass == Pass.Counting)
        {
            if (entry.Deadline > _now)
            {
                _live[node].Add(entry.State, entry.Deadline.Nanoseconds);
                _conntrack[node].Candidates++;
            }
            else _expired[node].Add(entry.Deadline.Nanoseconds);
            return;
        }
        if (entry.Deadline > _previousGcPass[node] && _conntrack[node].Take(_thinning)) AddConntrackEntry(node, entry);
    }

    /// <summary>A gateway port released before now, in its reuse delay until <paramref name="freeAt"/>.</summary>
    private void Cooling(in FlowTuple nodeSide, SimTime freeAt)
    {
        ulong destination = FlowDestination.Of(nodeSide).Key;
        if (!_gateway.TryGetValue(destination, out SelectionQuota? quota)) _gateway.Add(destination, quota = new SelectionQuota());
        if (_pass == Pass.Counting) quota.Candidates++;
        else if (quota.Take(_thinning)) _model.Gateway.TryPrefillCooling(_now, nodeSide, freeAt);
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
