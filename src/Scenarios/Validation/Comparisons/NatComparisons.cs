using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;
using static ClusterNetPerf.Scenarios.Validation.ValidationSuite;

namespace ClusterNetPerf.Scenarios.Validation.Comparisons;

/// <summary>The NAT gateway as a loss system (Erlang B), and the cloud providers' documented limits.</summary>
internal static class NatComparisons
{
    private const string AwsNatGateway = "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html";
    private const string AzureLbOutbound = "MicrosoftDocs/azure-docs articles/load-balancer/load-balancer-outbound-connections.md, \"Default port allocation\"";
    private static readonly IPv4Address PublicIp = IPv4Address.Parse("203.0.113.10");
    private static readonly IPv4Address FirstNode = IPv4Address.Parse("10.0.0.1");
    private static readonly FlowDestination Https = new(IPv4Address.Parse("93.184.216.34"), 443, IpProtocol.Tcp);

    public static IEnumerable<ValidationGroup> Groups()
    {
        yield return ErlangGroup();
        yield return CloudLimitsGroup();
        yield return AwsRateGroup();
        yield return AzureLoadBalancerGroup();
    }

    private static ValidationGroup ErlangGroup()
    {
        const int ports = 50;
        const double rowErlangs = 45;
        double[] loads = [40, rowErlangs, 50];
        var refused = new List<(double X, double Mean, double HalfWidth)>();
        (double Mean, double HalfWidth) inUse = default;
        foreach (double erlangs in loads)
        {
            GatewayLossRun.Outcome[] outcomes = new GatewayLossRun.Outcome[Replications];
            for (int r = 0; r < Replications; r++)
                outcomes[r] = GatewayLossRun.Run(ports, erlangs, SimTime.FromSeconds(1), SimTime.FromSeconds(10), SimTime.FromSeconds(2_000), FirstSeed + (ulong)r);
            (double mean, double half) = ReplicationSummary.Of([.. outcomes.Select(o => o.RefusedFraction)]);
            refused.Add((erlangs, mean, half));
            if (erlangs == rowErlangs) inUse = ReplicationSummary.Of([.. outcomes.Select(o => o.MeanInUse)]);
        }
        double blocking = QueueingTheory.ErlangB(rowErlangs, ports);
        (_, double refusedMean, double refusedHalf) = refused.Single(point => point.X == rowErlangs);
        ValidationRow[] rows =
        [
            new("NAT gateway, 50 ports, 45 Erlangs: fraction refused", "Erlang B(45, 50) (closed form)", blocking,
                refusedMean, refusedHalf, 0.10, false, "NatGateway with Poisson connections to one destination, 1 s each (M/D/c/c; Erlang B is insensitive to the holding distribution)."),
            new("NAT gateway, same run: mean ports in use", "Little's law a(1 − B) (closed form)", rowErlangs * (1 - blocking),
                inUse.Mean, inUse.HalfWidth, 0.02, false, "Time-weighted mean of the gateway's ports in use."),
        ];
        return new ValidationGroup(rows, "nat-gateway-erlang", new Chart("NAT gateway with 50 ports: connections refused vs offered load", "offered load (Erlangs)", "fraction refused (0-1)",
            [Series("model (NatGateway, 10 replications, 95 % CI)", refused)])
        {
            Markers = [Series("Erlang B(a, 50)", Enumerable.Range(0, 11).Select(i => (38.0 + 1.3 * i, QueueingTheory.ErlangB(38 + 1.3 * i, ports), 0.0)))],
            ErrorBars = true,
        });
    }

    private static ValidationGroup CloudLimitsGroup()
    {
        int aws = ConcurrentUntilRefused(new NatGateway(NatGatewayOptions.Aws(PublicIp), new System.Random(1)), sameNode: false);
        int gcp = ConcurrentUntilRefused(new NatGateway(NatGatewayOptions.Gcp(PublicIp), new System.Random(3)), sameNode: true) + 1;
        int azure = ConcurrentUntilRefused(new NatGateway(NatGatewayOptions.AzureNatGateway(PublicIp), new System.Random(4)), sameNode: false);
        ValidationRow[] rows =
        [
            Exact("AWS NAT gateway: simultaneous connections to one destination per public IP", AwsNatGateway, 55_000, aws,
                "Connections opened and held until the preset's gateway refuses one."),
            Exact("GCP Cloud NAT, 64 ports per VM: first simultaneous connection refused", "gardener/gardener-extension-provider-gcp#445; https://cloud.google.com/nat/docs/ports-and-addresses",
                65, gcp, "Connections from one VM to one destination opened and held until the preset's gateway refuses one."),
            Exact("Azure NAT Gateway: connections to one destination per public IP", "MicrosoftDocs/azure-docs articles/nat-gateway/nat-gateway-resource.md",
                50_000, azure, "Connections opened and held until the preset's gateway refuses one."),
        ];
        string[] names = ["AWS: held per IP", "GCP: first refused (64 ports/VM)", "Azure NAT GW: held per IP"];
        return new ValidationGroup(rows, "cloud-nat-limits", new Chart("Cloud NAT: connections to one destination", "preset", "connections (count)",
            [Categories("model (presets of NatGatewayOptions)", names.Zip([aws, gcp, azure], (name, value) => (name, (double)value, 0.0)))])
        {
            Markers = [Categories("provider documentation", names.Zip([55_000, 65, 50_000], (name, value) => (name, (double)value, 0.0)))],
            ErrorBars = true,
            LogarithmicY = true,
        });
    }

    private static ValidationGroup AwsRateGroup()
    {
        int[] offered = [250, 500, 750, 900, 1_000, 1_500, 2_000];
        double[] admitted = [.. offered.Select(rate => SustainedRate(new NatGateway(NatGatewayOptions.Aws(PublicIp), new System.Random(2)), rate))];
        ValidationRow[] rows =
        [
            new("AWS NAT gateway: sustained new connections/s to one destination", AwsNatGateway, 900, admitted[Array.IndexOf(offered, 1_000)], 0, 0.05, false,
                "1,000 connections/s offered, each closed at once; admitted rate from 120 s to 300 s. The port is held 60 s after close: 55,000 / 60 s = 917/s."),
        ];
        return new ValidationGroup(rows, "aws-nat-rate", new Chart("AWS NAT gateway: admitted vs offered new connections/s to one destination", "offered (connections/s)", "admitted (connections/s)",
            [Series("model (NatGatewayOptions.Aws)", offered.Zip(admitted, (o, a) => ((double)o, a, 0.0)))])
        {
            Reference = new ChartReference(900, "AWS: about 900 connections/s"),
        });
    }

    private static ValidationGroup AzureLoadBalancerGroup()
    {
        var published = new (int Pool, int Ports)[] { (50, 1024), (200, 256), (1000, 32) };
        ValidationRow[] rows =
        [
            .. published.Select(p => Exact($"Azure LB default SNAT ports per VM, pool of {p.Pool} VMs", AzureLbOutbound, p.Ports,
                NatGatewayOptions.AzureDefaultPortsPerVm(p.Pool), "NatGatewayOptions.AzureDefaultPortsPerVm.")),
        ];
        int[] pools = [1, 25, 50, 51, 75, 100, 101, 150, 200, 201, 300, 400, 401, 600, 800, 801, 900, 1000];
        return new ValidationGroup(rows, "azure-lb-ports", new Chart("Azure Load Balancer default SNAT ports per VM vs backend pool size", "VMs in the pool", "SNAT ports per VM (count)",
            [Series("model (NatGatewayOptions.AzureDefaultPortsPerVm)", pools.Select(pool => ((double)pool, (double)NatGatewayOptions.AzureDefaultPortsPerVm(pool), 0.0)))])
        {
            Markers = [Series("Azure docs table", published.Select(p => ((double)p.Pool, (double)p.Ports, 0.0)))],
        });
    }

    /// <summary>Opens connections to <see cref="Https"/> at time zero, never closing them, until one is refused; returns how many were admitted.</summary>
    private static int ConcurrentUntilRefused(NatGateway gateway, bool sameNode)
    {
        int admitted = 0;
        while (gateway.TryAllocate(SimTime.Zero, NodeFlow(admitted, sameNode), out _)) admitted++;
        return admitted;
    }

    /// <summary><paramref name="perSecond"/> connections/s for 300 s, each closed at once; the admitted rate from 120 s on.</summary>
    private static double SustainedRate(NatGateway gateway, int perSecond)
    {
        const int seconds = 300;
        const int measuredFrom = 120;
        long admitted = 0;
        for (int i = 0; i < perSecond * seconds; i++)
        {
            var now = SimTime.FromNanoseconds(i * (1_000_000_000L / perSecond));
            if (!gateway.TryAllocate(now, NodeFlow(i, sameNode: false), out FlowTuple publicSide)) continue;
            gateway.Release(now, publicSide);
            if (i >= perSecond * measuredFrom) admitted++;
        }
        return (double)admitted / (seconds - measuredFrom);
    }

    /// <summary>Flow number <paramref name="i"/>: distinct node-side tuples toward <see cref="Https"/>, from one node or spread over nodes.</summary>
    private static FlowTuple NodeFlow(int i, bool sameNode) =>
        new(sameNode ? FirstNode : FirstNode + (uint)(i / 28_000), (ushort)(32768 + i % 28_000), Https.Ip, Https.Port, IpProtocol.Tcp);
}
