using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterNetPerf.Scenarios.Builders;
using ClusterNetPerf.Scenarios.Specs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClusterNetPerf.Scenarios.Tests.Specs;

/// <summary>
/// Whatever tree a file holds and whatever a <c>--set</c> says, the loader either resolves the scenario or
/// throws a <see cref="ScenarioException"/> whose every problem is located; nothing else escapes. Trees are
/// made of the format's own keys (so the reader is driven deep) and hostile scalars, written as JSON (which
/// is YAML).
/// </summary>
public sealed class ScenarioLoaderPropertyTests
{
    private static readonly ScenarioLoader Loader = ClusterRunner.CreateLoader();

    private static readonly string[] Keys =
    [
        "name", "seed", "duration", "warmup", "replications", "cluster", "nodes", "podsPerNode", "podCidr", "nodeCidrPrefix", "racks",
        "node", "cores", "nic", "bandwidth", "buffer", "fabric", "latency", "cni", "mode", "mtu", "kubeProxy", "syncPeriod",
        "conntrack", "max", "min", "maxPerCore", "costs", "iptablesPerRule", "services", "count", "endpointsPerService", "port",
        "churn", "podRestartsPerSecond", "egress", "snatPortRange", "natGateway", "publicIps", "portsPerIp", "internet",
        "destinations", "ingress", "hosts", "controllerReplicas", "dns", "coreDnsReplicas", "raceProbability", "workloads",
        "type", "connectionsPerSecond", "requestsPerConnection", "responseSize", "distribution", "mean", "points", "sweep",
        "services.count", "workloads[0].connectionsPerSecond", "cluster.nodes",
    ];

    private static readonly string[] Scalars =
    [
        "", "0", "1", "-1", "3", "10", "1e9", "1e300", "-1e300", "NaN", "Infinity", "2147483648", "9223372036854775808",
        "18446744073709551616", "0.5", "1.5", "10ms", "0s", "-5s", "1000000000000h", "1e300h", "25Gbps", "0bps", "4MiB",
        "1e30GiB", "10.244.0.0/16", "10.244.0.1/16", "0.0.0.0/0", "1024-65535", "70000-1", "iptables", "ebpf", "serviceCalls",
        "ingress", "dns", "loadBalancer", "exponential", "empirical", "../../x", "/abs", "tiny", "~", "null", "true", "[", "*a",
    ];

    private static Gen<JsonNode?> Tree(int size) => size <= 1
        ? Gen.Elements(Scalars).Select(text => (JsonNode?)JsonValue.Create(text))
        : Gen.Frequency(
            (3, Gen.Elements(Scalars).Select(text => (JsonNode?)JsonValue.Create(text))),
            (3, Gen.ListOf(Gen.Zip(Gen.Elements(Keys), Tree(size / 3))).Select(entries =>
            {
                var mapping = new JsonObject();
                foreach ((string key, JsonNode? value) in entries) mapping[key] = value;
                return (JsonNode?)mapping;
            })),
            (1, Gen.ListOf(Tree(size / 3)).Select(items => (JsonNode?)new JsonArray([.. items]))));

    private static Gen<string> Document => Gen.Sized(size => Tree(Math.Max(2, size)))
        .Select(tree => tree is JsonObject mapping ? mapping : new JsonObject { ["name"] = "p", ["cluster"] = tree })
        .Select(mapping =>
        {
            mapping.TryAdd("name", "p");
            mapping.TryAdd("workloads", new JsonArray(new JsonObject { ["type"] = "serviceCalls", ["connectionsPerSecond"] = "10" }));
            return mapping.ToJsonString();
        });

    private static Gen<string> SetArgument => Gen.Zip(Gen.Zip(Gen.Elements(Keys), Gen.Elements(Keys)), Gen.Elements(Scalars))
        .Select(parts => $"{parts.Item1.Item1}.{parts.Item1.Item2}={parts.Item2}");

    [Property(MaxTest = 300)]
    public Property Random_documents_and_overrides_resolve_or_give_located_problems() =>
        Prop.ForAll(Document.ToArbitrary(), Gen.ListOf(SetArgument).ToArbitrary(), (yaml, sets) => LoadsOrReportsLocated(yaml, [.. sets]));

    [Property(MaxTest = 300)]
    public Property Random_overrides_of_a_valid_scenario_resolve_or_give_located_problems() =>
        Prop.ForAll(Gen.ListOf(Gen.Zip(Gen.Elements(Keys), Gen.Elements(Scalars)).Select(pair => $"{pair.Item1}={pair.Item2}")).ToArbitrary(),
            sets => LoadsOrReportsLocated("""{"name": "p", "workloads": [{"type": "dns", "connectionsPerSecond": "5"}]}""", [.. sets]));

    private static bool LoadsOrReportsLocated(string yaml, string[] sets)
    {
        try
        {
            Loader.ResolveText(yaml, "random.yaml", sets);
            return true;
        }
        catch (ScenarioException exception)
        {
            return exception.Problems.Count > 0 && exception.Problems.All(problem =>
                problem.Location.StartsWith("random.yaml:", StringComparison.Ordinal) || problem.Location.StartsWith("--set '", StringComparison.Ordinal));
        }
    }
}
