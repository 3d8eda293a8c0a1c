using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// Parses YAML text into a <see cref="ConfigNode"/> tree whose every node knows its file, line and column.
/// Built from the parser's events with an explicit stack, so the resources it takes are bounded whatever
/// the text: nesting deeper than <see cref="MaxDepth"/>, or more than <see cref="MaxNodes"/> values once
/// aliases are expanded (an "alias bomb" of nested aliases), is a problem, not a stack overflow or an
/// exponential expansion.
/// </summary>
internal static class YamlDocumentReader
{
    /// <summary>The deepest nesting of mappings and lists; a scenario needs about six.</summary>
    public const int MaxDepth = 64;

    /// <summary>The most values (scalars, mappings, lists) a document may hold with its aliases expanded; the shipped studies hold about 150.</summary>
    public const int MaxNodes = 100_000;

    /// <summary>The document's root, or null (with a problem added) when the text is not one YAML mapping within the bounds.</summary>
    public static ConfigMapping? Read(string text, string file, ProblemList problems)
    {
        ConfigNode? root;
        try
        {
            root = new Builder(file, problems).Build(new Parser(new StringReader(text)));
        }
        catch (YamlException exception)
        {
            problems.Add(At(file, exception.Start), "(document)", "valid YAML", $"'{FirstLine(exception.InnerException?.Message ?? exception.Message)}'");
            return null;
        }
        if (root is null) return null;
        if (root is ConfigMapping mapping) return mapping;
        problems.Add(root.Location, "(document)", "a mapping of scenario keys", root.Describe());
        return null;
    }

    private static SourceLocation At(string file, Mark mark) => SourceLocation.InFile(file, mark.Line, mark.Column);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>One document's tree, built event by event.</summary>
    private sealed class Builder(string file, ProblemList problems)
    {
        private readonly Stack<Frame> _open = new();
        private readonly Dictionary<string, (ConfigNode Node, int Size)> _anchors = [];
        private int _nodes;

        /// <summary>The document's root; null (with a problem) when there is not exactly one document or a bound is passed.</summary>
        public ConfigNode? Build(IParser parser)
        {
            parser.Consume<StreamStart>();
            ConfigNode? root = null;
            int documents = 0;
            while (!parser.Accept<StreamEnd>(out _))
            {
                parser.Consume<DocumentStart>();
                documents++;
                ConfigNode? document = ReadNode(parser);
                if (document is null) return null;
                parser.Consume<DocumentEnd>();
                root ??= document;
            }
            if (documents == 1) return root;
            problems.Add(SourceLocation.InFile(file, 1, 1), "(document)", "exactly one YAML document", $"{documents}");
            return null;
        }

        /// <summary>Reads one node and everything inside it, without recursion.</summary>
        private ConfigNode? ReadNode(IParser parser)
        {
            do
            {
                ParsingEvent current = parser.Consume<ParsingEvent>();
                SourceLocation location = At(file, current.Start);
                ConfigNode? completed;
                switch (current)
                {
                    case MappingStart start:
                        if (!Open(new Frame(new ConfigMapping(location), start.Anchor, _nodes), location)) return null;
                        continue;
                    case SequenceStart start:
                        if (!Open(new Frame(new ConfigSequence([], location), start.Anchor, _nodes), location)) return null;
                        continue;
                    case MappingEnd or SequenceEnd:
                        Frame closed = _open.Pop();
                        completed = closed.Node;
                        Remember(closed.Anchor, completed, _nodes - closed.NodesBefore);
                        break;
                    case Scalar scalar:
                        if (!Count(1, location)) return null;
                        completed = new ConfigScalar(scalar.Value, location);
                        Remember(scalar.Anchor, completed, 1);
                        break;
                    case AnchorAlias alias:
                        if (!_anchors.TryGetValue(alias.Value.Value, out (ConfigNode Node, int Size) anchored))
                        {
                            problems.Add(location, "(document)", "an alias of an anchor defined before it", $"'*{alias.Value.Value}'");
                            return null;
                        }
                        // Each use is its own copy, so that an override of one never changes another.
                        if (!Count(anchored.Size, location)) return null;
                        completed = anchored.Node.Clone();
                        break;
                    default:
                        problems.Add(location, "(document)", "a mapping, list or scalar", $"'{current.GetType().Name}'");
                        return null;
                }
                if (_open.Count == 0) return completed;
                if (!_open.Peek().Add(completed, problems)) return null;
            }
            while (true);
        }

        private bool Open(Frame frame, SourceLocation location)
        {
            if (!Count(1, location)) return false;
            if (_open.Count >= MaxDepth)
            {
                problems.Add(location, "(document)", $"mappings and lists nested at most {MaxDepth} deep", "deeper nesting");
                return false;
            }
            if (_open.Count > 0 && _open.Peek().ExpectsKey)
            {
                problems.Add(location, "(document)", "a plain key", "a complex key");
                return false;
            }
            _open.Push(frame);
            return true;
        }

        private bool Count(int nodes, SourceLocation location)
        {
            if (nodes <= MaxNodes - _nodes)
            {
                _nodes += nodes;
                return true;
            }
            problems.Add(location, "(document)", $"at most {MaxNodes:N0} values with aliases expanded", "more (nested aliases multiply)");
            return false;
        }

        private void Remember(AnchorName anchor, ConfigNode node, int size)
        {
            if (!anchor.IsEmpty) _anchors[anchor.Value] = (node, size);
        }
    }

    /// <summary>An open mapping or list, and for a mapping the key waiting for its value.</summary>
    private sealed class Frame(ConfigNode node, AnchorName anchor, int nodesBefore)
    {
        private ConfigScalar? _key;

        public ConfigNode Node { get; } = node;
        public AnchorName Anchor { get; } = anchor;
        public int NodesBefore { get; } = nodesBefore;
        public bool ExpectsKey => Node is ConfigMapping && _key is null;

        /// <summary>Adds a completed child: a key, a key's value, or a list item. False (with a problem) for a repeated key.</summary>
        public bool Add(ConfigNode child, ProblemList problems)
        {
            if (Node is ConfigSequence sequence)
            {
                sequence.Items.Add(child);
                return true;
            }
            var mapping = (ConfigMapping)Node;
            if (_key is null)
            {
                if (child is ConfigScalar key)
                {
                    _key = key;
                    return true;
                }
                problems.Add(child.Location, "(document)", "a plain key", "a complex key");
                return false;
            }
            ConfigScalar entryKey = _key;
            _key = null;
            if (mapping[entryKey.Value] is not null)
            {
                problems.Add(entryKey.Location, entryKey.Value, "each key once in a mapping", $"'{entryKey.Value}' again");
                return false;
            }
            mapping.Entries.Add((entryKey, child));
            return true;
        }
    }
}
