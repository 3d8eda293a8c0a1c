using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Linux;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// JSON for resolved scenarios (run.json, shard manifests): camelCase keys as in YAML, units as text
/// (<c>"25Gbps"</c>, <c>"250us"</c>), enums spelled as in YAML, absent optional values omitted.
/// </summary>
public static class ScenarioJson
{
    /// <summary>The serializer options; indented and deterministic.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The scenario as indented JSON.</summary>
    public static string Serialize(ScenarioSpec scenario) => JsonSerializer.Serialize(scenario, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NewLine = "\n",
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new TextJsonConverter<SimTime>(SimTime.Parse));
        options.Converters.Add(new TextJsonConverter<ByteSize>(ByteSize.Parse));
        options.Converters.Add(new TextJsonConverter<DataRate>(DataRate.Parse));
        options.Converters.Add(new TextJsonConverter<Ipv4Cidr>(Ipv4Cidr.Parse));
        options.Converters.Add(new TextJsonConverter<PortRange>(PortRange.Parse));
        options.Converters.Add(new TextJsonConverter<KubeProxyRelease>(KubeProxyRelease.Parse));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
