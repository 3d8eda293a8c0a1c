using System.Text.RegularExpressions;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Linux;

namespace ClusterNetPerf.Scenarios.Builders;

/// <summary>
/// Where each library option comes from in a scenario file: the inverse of
/// <see cref="ClusterOptionsBuilder"/>, so that a problem the library finds with an option (named by its
/// property path) is reported at the key that set it.
/// </summary>
internal static partial class OptionPaths
{
    private static readonly Dictionary<string, string> ClusterPaths = new()
    {
        ["Nodes"] = "cluster.nodes",
        ["PodsPerNode"] = "cluster.podsPerNode",
        ["PodCidr"] = "cluster.podCidr",
        ["NodeCidrPrefix"] = "cluster.nodeCidrPrefix",
        ["Racks"] = "cluster.racks",
        ["CoresPerNode"] = "cluster.node.cores",
        ["NodeCpus"] = "cluster.node.cpus",
        ["Kernel"] = "cluster.kernel",
        ["KubeProxyRelease"] = "cluster.kubeProxy.version",
        ["NicBandwidth"] = "cluster.node.nic.bandwidth",
        ["NicBuffer"] = "cluster.node.nic.buffer",
        ["OffloadBatch"] = "cluster.node.nic.offloadBatch",
        ["FabricBandwidth"] = "cluster.fabric.bandwidth",
        ["FabricLatency"] = "cluster.fabric.latency",
        ["Cni"] = "cluster.cni.mode",
        ["Mtu"] = "cluster.cni.mtu",
        ["ProxyMode"] = "cluster.kubeProxy.mode",
        ["IpvsScheduler"] = "cluster.kubeProxy.ipvsScheduler",
        ["MinSyncPeriod"] = "cluster.kubeProxy.minSyncPeriod",
        ["SyncPeriod"] = "cluster.kubeProxy.syncPeriod",
        ["WatchDelay"] = "cluster.kubeProxy.watchDelay",
        ["ConntrackMax"] = "cluster.conntrack.max",
        ["ConntrackMaxPerCore"] = "cluster.conntrack.maxPerCore",
        ["ConntrackMin"] = "cluster.conntrack.min",
        ["ConntrackTimeouts.TcpEstablished"] = "cluster.conntrack.tcpEstablishedTimeout",
        ["ConntrackTimeouts.TcpTimeWait"] = "cluster.conntrack.tcpTimeWaitTimeout",
        ["ConntrackTimeouts.Udp"] = "cluster.conntrack.udpTimeout",
        ["Services"] = "services.count",
        ["EndpointsPerService"] = "services.endpointsPerService",
        ["ServicePort"] = "services.port",
        ["PodRestartsPerSecond"] = "churn.podRestartsPerSecond",
        ["RestartDelay"] = "churn.restartDelay",
        ["SnatPortRange"] = "egress.snatPortRange",
        ["NatGateway.PublicIpCount"] = "egress.natGateway.publicIps",
        ["NatGateway.Ports"] = "egress.natGateway.portsPerIp",
        ["NatGateway.MaxConnectionsPerDestination"] = "egress.natGateway.maxConnectionsPerDestination",
        ["NatGateway.IdleTimeout"] = "egress.natGateway.idleTimeout",
        ["NatGateway.PortReuseDelay"] = "egress.natGateway.portReuseDelay",
        ["Internet.Rtt"] = "egress.internet.rtt",
        ["Internet.Bandwidth"] = "egress.internet.bandwidth",
        ["Internet.Destinations"] = "egress.internet.destinations",
        ["Ingress.ControllerReplicas"] = "ingress.controllerReplicas",
        ["Ingress.ControllerCores"] = "ingress.controllerCores",
        ["Ingress.ExternalTrafficPolicy"] = "ingress.externalTrafficPolicy",
        ["Ingress.Hosts"] = "ingress.hosts",
        ["Costs.IngressPerRequest"] = "ingress.costPerRequest",
        ["Dns.CoreDnsReplicas"] = "dns.coreDnsReplicas",
        ["Dns.RaceProbability"] = "dns.raceProbability",
        ["Dns.ResolverTimeout"] = "dns.resolverTimeout",
        ["Dns.Ndots"] = "dns.ndots",
        ["Dns.ExtraSearchDomains"] = "dns.extraSearchDomains",
        ["Dns.NodeLocalCacheHitRatio"] = "dns.nodeLocalCacheHitRatio",
        ["Costs.DnsPerQuery"] = "dns.costPerQuery",
        ["Ebpf.NodeMemory"] = "cluster.ebpf.nodeMemory",
        ["Ebpf.MapDynamicSizeRatio"] = "cluster.ebpf.mapDynamicSizeRatio",
        ["Ebpf.CtGlobalTcpMax"] = "cluster.ebpf.ctGlobalTcpMax",
        ["Ebpf.CtGlobalAnyMax"] = "cluster.ebpf.ctGlobalAnyMax",
        ["Ebpf.NatGlobalMax"] = "cluster.ebpf.natGlobalMax",
        ["Ebpf.LbMapMax"] = "cluster.ebpf.lbMapMax",
        ["Ebpf.TcpLifetime"] = "cluster.ebpf.ctTimeoutRegularTcp",
        ["Ebpf.TcpSynTimeout"] = "cluster.ebpf.ctTimeoutRegularTcpSyn",
        ["Ebpf.TcpCloseTimeout"] = "cluster.ebpf.ctTimeoutRegularTcpFin",
        ["Ebpf.AnyLifetime"] = "cluster.ebpf.ctTimeoutRegularAny",
        ["NatGateway.PortsPerVm"] = "egress.natGateway.portsPerVm",
        ["NatGateway.TransitoryIdleTimeout"] = "egress.natGateway.transitoryIdleTimeout",
        ["Duration"] = "duration",
        ["Warmup"] = "warmup",
        ["WarmStart"] = "warmStart",
        ["Workloads"] = "workloads",
    };

    private static readonly Dictionary<string, string> WorkloadPaths = new()
    {
        ["Kind"] = "type",
        ["ConnectionsPerSecond"] = "connectionsPerSecond",
        ["Traffic.RequestsPerConnection"] = "requestsPerConnection",
        ["Traffic.ServerTime"] = "serverTime",
        ["SameNodeFraction"] = "sameNodeFraction",
        ["ExternalNameFraction"] = "names",
    };

    [GeneratedRegex(@"^Workloads\[(?<index>[0-9]+)\]\.(?<option>.+)$")]
    private static partial Regex WorkloadOption();

    /// <summary>
    /// The scenario key path of a library option path (<c>CoresPerNode</c> → <c>cluster.node.cores</c>,
    /// <c>Workloads[1].Kind</c> → <c>workloads[1].type</c>). An option no key sets (a library option the
    /// format does not expose) keeps its library name, so the message still says what is wrong.
    /// </summary>
    public static string ScenarioPathOf(string option)
    {
        Match workload = WorkloadOption().Match(option);
        if (workload.Success)
            return $"workloads[{workload.Groups["index"].Value}].{WorkloadPaths.GetValueOrDefault(workload.Groups["option"].Value, workload.Groups["option"].Value)}";
        return ClusterPaths.GetValueOrDefault(option, option);
    }
}
