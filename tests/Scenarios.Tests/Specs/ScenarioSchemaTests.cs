using System.Text.Json;
using System.Text.RegularExpressions;
using ClusterNetPerf.Scenarios.Specs;
using YamlDotNet.RepresentationModel;

namespace ClusterNetPerf.Scenarios.Tests.Specs;

/// <summary>schemas/scenario.schema.json must know every key the shipped studies use, so editors complete what the loader accepts.</summary>
public sealed class ScenarioSchemaTests
{
    private static readonly JsonElement Schema = LoadSchema();

    public static TheoryData<string> Studies => [.. StudyCatalog.Names];

    [Theory]
    [MemberData(nameof(Studies))]
    public void EveryKeyOfEveryStudyIsInTheSchema(string study)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(StudyCatalog.TryGetText(study)!));
        var unknown = new List<string>();

        Walk(Schema, yaml.Documents[0].RootNode, "", unknown);
        foreach (YamlNode path in ((YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["sweep"]).Children.Keys)
            if (SchemaAt(((YamlScalarNode)path).Value!) is null) unknown.Add($"sweep path {path}");

        Assert.Empty(unknown);
    }

    [Fact]
    public void TheWalkFindsKeysTheSchemaLacks()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader("name: x\ncluster: { nodez: 3 }\nworkloads: [{ type: dns, colour: red }]\n"));
        var unknown = new List<string>();

        Walk(Schema, yaml.Documents[0].RootNode, "", unknown);

        Assert.Equal(["cluster.nodez", "workloads[0].colour"], unknown);
        Assert.Null(SchemaAt("services.cont"));
        Assert.NotNull(SchemaAt("workloads[0].responseSize"));
    }

    private static void Walk(JsonElement schema, YamlNode node, string path, List<string> unknown)
    {
        schema = Resolve(schema, node);
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach ((YamlNode keyNode, YamlNode value) in mapping.Children)
                {
                    string key = ((YamlScalarNode)keyNode).Value!;
                    string keyPath = path.Length == 0 ? key : $"{path}.{key}";
                    if (schema.TryGetProperty("properties", out JsonElement properties))
                    {
                        if (properties.TryGetProperty(key, out JsonElement child)) Walk(child, value, keyPath, unknown);
                        else unknown.Add(keyPath);
                    }
                    else if (schema.TryGetProperty("additionalProperties", out JsonElement any) && any.ValueKind == JsonValueKind.Object)
                    {
                        Walk(any, value, keyPath, unknown);
                    }
                }
                break;
            case YamlSequenceNode sequence when schema.TryGetProperty("items", out JsonElement items):
                for (int i = 0; i < sequence.Children.Count; i++) Walk(items, sequence.Children[i], $"{path}[{i}]", unknown);
                break;
        }
    }

    /// <summary>Follows <c>$ref</c>, and for a <c>oneOf</c> takes the object branch when the node is a mapping.</summary>
    private static JsonElement Resolve(JsonElement schema, YamlNode? node)
    {
        if (schema.TryGetProperty("$ref", out JsonElement reference))
            return Resolve(Schema.GetProperty("$defs").GetProperty(reference.GetString()!["#/$defs/".Length..]), node);
        if (schema.TryGetProperty("oneOf", out JsonElement choices) && node is null or YamlMappingNode)
            return Resolve(choices.EnumerateArray().Select(choice => Resolve(choice, null)).First(choice => choice.TryGetProperty("properties", out _)), node);
        return schema;
    }

    private static JsonElement? SchemaAt(string path)
    {
        JsonElement schema = Schema;
        foreach (Match segment in Regex.Matches(path, @"([A-Za-z]+)(\[\d+\])?"))
        {
            if (!Resolve(schema, null).TryGetProperty("properties", out JsonElement properties)
                || !properties.TryGetProperty(segment.Groups[1].Value, out schema))
                return null;
            if (segment.Groups[2].Success) schema = Resolve(schema, null).GetProperty("items");
        }
        return schema;
    }

    private static JsonElement LoadSchema()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string file = Path.Combine(directory.FullName, "schemas", "scenario.schema.json");
            if (File.Exists(file)) return JsonDocument.Parse(File.ReadAllText(file)).RootElement;
        }
        throw new FileNotFoundException("schemas/scenario.schema.json not found above the test directory");
    }
}
