using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>Writes a value as its text (<c>"25Gbps"</c>, <c>"250us"</c>, <c>"1.36"</c>) and reads it back with the type's parser.</summary>
internal sealed class TextJsonConverter<T>(Func<string, T> parse) : JsonConverter<T> where T : notnull
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        parse(reader.GetString() ?? throw new JsonException($"expected a string for {typeof(T).Name}"));

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
