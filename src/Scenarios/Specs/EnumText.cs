using System.Reflection;
using System.Text.Json.Serialization;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// The spelling of an enum in scenario files and in run.json: camelCase of the member name, unless
/// the member carries <see cref="JsonStringEnumMemberNameAttribute"/>. One rule for YAML and JSON, so a
/// value in run.json can be pasted back into a scenario.
/// </summary>
internal static class EnumText<T> where T : struct, Enum
{
    private static readonly (string Text, T Value)[] Members =
    [
        .. typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static).Select(field => (
            field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicyCamel(field.Name),
            (T)field.GetValue(null)!)),
    ];

    /// <summary>The accepted spellings, for "expected one of …" messages.</summary>
    public static string Choices => string.Join(", ", Members.Select(member => member.Text));

    public static string Format(T value) => Members.First(member => EqualityComparer<T>.Default.Equals(member.Value, value)).Text;

    public static bool TryParse(string text, out T value)
    {
        foreach ((string memberText, T memberValue) in Members)
        {
            if (memberText == text)
            {
                value = memberValue;
                return true;
            }
        }
        value = default;
        return false;
    }

    private static string JsonNamingPolicyCamel(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}
