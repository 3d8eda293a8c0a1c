using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>Parses YAML text into a <see cref="ConfigNode"/> tree whose every node knows its file, line and column.</summary>
internal static class YamlDocumentReader
{
    /// <summary>The document's root, or null (with a problem added) when the text is not one YAML mapping.</summary>
    public static ConfigMapping? Read(string text, string file, ProblemList problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            problems.Add(At(file, exception.Start), "(document)", "valid YAML", $"'{FirstLine(exception.InnerException?.Message ?? exception.Message)}'");
            return null;
        }
        if (stream.Documents.Count != 1)
        {
            problems.Add(SourceLocation.InFile(file, 1, 1), "(document)", "exactly one YAML document", $"{stream.Documents.Count}");
            return null;
        }
        ConfigNode root = Convert(stream.Documents[0].RootNode, file, problems);
        if (root is ConfigMapping mapping) return mapping;
        problems.Add(root.Location, "(document)", "a mapping of scenario keys", root.Describe());
        return null;
    }

    private static ConfigNode Convert(YamlNode node, string file, ProblemList problems)
    {
        SourceLocation location = At(file, node.Start);
        switch (node)
        {
            case YamlMappingNode mapping:
                var result = new ConfigMapping(location);
                foreach ((YamlNode key, YamlNode value) in mapping.Children)
                {
                    if (Convert(key, file, problems) is not ConfigScalar keyScalar)
                    {
                        problems.Add(At(file, key.Start), "(document)", "a plain key", "a complex key");
                        continue;
                    }
                    result.Entries.Add((keyScalar, Convert(value, file, problems)));
                }
                return result;
            case YamlSequenceNode sequence:
                return new ConfigSequence([.. sequence.Children.Select(child => Convert(child, file, problems))], location);
            case YamlScalarNode scalar:
                return new ConfigScalar(scalar.Value ?? "", location);
            default:
                problems.Add(location, "(document)", "a mapping, list or scalar", $"'{node.NodeType}'");
                return new ConfigScalar("", location);
        }
    }

    private static SourceLocation At(string file, Mark mark) => SourceLocation.InFile(file, mark.Line, mark.Column);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
