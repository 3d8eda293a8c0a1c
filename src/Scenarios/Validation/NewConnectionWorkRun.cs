using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Measurement;

namespace ClusterNetPerf.Scenarios.Validation;

/// <summary>
/// One replication of a client node opening Poisson connections to Services chosen uniformly (as the serviceCalls
/// workload does), each charged what the data plane charges the client node for the first packet: the kube-proxy mode's
/// translation (<see cref="IServiceProxy.TranslateNewConnection"/>: the iptables walk to the Service's rule and endpoint,
/// or a map lookup) plus the conntrack insertion. The cluster is built as a run builds it (<see cref="ClusterModel"/>),
/// so chain positions, endpoints and costs are the model's own. Each connection's first packet also reaches the server's
/// node DNATed to a pod address, where it walks the rules without a match (<see cref="IServiceProxy.NonServiceNewConnectionWork"/>,
/// as NodeNetfilter.Direct charges it) and is inserted in that node's conntrack table: the server node's share.
/// </summary>
internal static class NewConnectionWorkRun
{
    /// <summary>The client node's first-packet work of each connection (ns), in arrival order, and the client and server nodes' CPU in cores.</summary>
    public readonly record struct Outcome(double[] WorkNs, double Cores, double ServerCores);

    public static Outcome Run(KubeProxyMode mode, KubeProxyRelease release, int services, int endpointsPerService, double connectionsPerSecond,
        SimTime window, ulong seed)
    {
        var simulator = new Simulator(seed);
        var options = new ClusterOptions
        {
            Nodes = 11, PodsPerNode = 10, Services = services, EndpointsPerService = endpointsPerService, ProxyMode = mode, KubeProxyRelease = release,
        };
        var model = new ClusterModel(simulator, options, new MetricsCollector(simulator), [TrafficProfile.Default]);
        System.Random arrivals = simulator.Random.Stream("arrivals");
        ServiceCatalog catalog = model.Catalog;
        long conntrackNs = model.Proxy.UsesConntrack ? options.Costs.ConntrackInsert.Nanoseconds : 0;
        long serverNs = model.Proxy.NonServiceNewConnectionWork.Nanoseconds + conntrackNs;
        var work = new List<double>();
        double total = 0;
        for (double t = Exponential(arrivals, connectionsPerSecond); t < window.TotalSeconds; t += Exponential(arrivals, connectionsPerSecond))
        {
            int service = arrivals.Next(services);
            SimTime translate = model.Proxy.TranslateNewConnection(0, service, catalog.Endpoints(service, catalog.CurrentVersion), out _);
            double ns = translate.Nanoseconds + conntrackNs;
            work.Add(ns);
            total += ns;
        }
        return new Outcome([.. work], total / 1e9 / window.TotalSeconds, (double)work.Count * serverNs / 1e9 / window.TotalSeconds);
    }

    private static double Exponential(System.Random random, double rate) => -Math.Log(1 - random.NextDouble()) / rate;
}
