using System.Text.Json;
using System.Text.RegularExpressions;

namespace ClusterNetPerf.Notebooks.Tests;

/// <summary>
/// What an executed notebook (.ipynb, nbformat 4) shows: the failures in its outputs and the
/// charts it drew.
/// </summary>
/// <remarks>
/// A failure is an output of type <c>error</c> (a cell threw or did not compile) or a
/// <c>stderr</c> stream that mentions an exception. A chart is an output with <c>image/png</c>
/// data, or HTML holding an <c>&lt;img&gt;</c> with a base64 PNG (how the notebooks' ScottPlot
/// formatter shows a plot).
/// </remarks>
public sealed partial class ExecutedNotebook
{
    private const string PngDataUri = "data:image/png;base64,";

    private ExecutedNotebook(int codeCells, IReadOnlyList<string> failures, int charts)
    {
        CodeCells = codeCells;
        Failures = failures;
        Charts = charts;
    }

    /// <summary>Code cells in the notebook.</summary>
    public int CodeCells { get; }

    /// <summary>One line per failed output: the cell number (1-based) and what went wrong.</summary>
    public IReadOnlyList<string> Failures { get; }

    /// <summary>Outputs that carry a PNG image.</summary>
    public int Charts { get; }

    /// <summary>Reads an executed notebook from a file.</summary>
    public static ExecutedNotebook Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Reads an executed notebook from its JSON text.</summary>
    /// <exception cref="JsonException">The text is not a notebook.</exception>
    public static ExecutedNotebook Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("cells", out JsonElement cells) || cells.ValueKind != JsonValueKind.Array)
            throw new JsonException("A notebook has a \"cells\" array.");
        var failures = new List<string>();
        int codeCells = 0;
        int charts = 0;
        int cellNumber = 0;
        foreach (JsonElement cell in cells.EnumerateArray())
        {
            cellNumber++;
            if (Text(cell, "cell_type") != "code") continue;
            codeCells++;
            if (!cell.TryGetProperty("outputs", out JsonElement outputs)) continue;
            foreach (JsonElement output in outputs.EnumerateArray())
            {
                switch (Text(output, "output_type"))
                {
                    case "error":
                        failures.Add($"cell {cellNumber}: {Text(output, "ename")}: {Text(output, "evalue")}");
                        break;
                    case "stream" when Text(output, "name") == "stderr" && MentionsException(Text(output, "text")):
                        failures.Add($"cell {cellNumber}: stderr: {Text(output, "text")}");
                        break;
                    case "display_data" or "execute_result" when HasPng(output):
                        charts++;
                        break;
                }
            }
        }
        return new ExecutedNotebook(codeCells, failures, charts);
    }

    private static bool HasPng(JsonElement output)
    {
        if (!output.TryGetProperty("data", out JsonElement data)) return false;
        if (data.TryGetProperty("image/png", out JsonElement png) && Joined(png).Length > 0) return true;
        return data.TryGetProperty("text/html", out JsonElement html) && ImgWithPng().IsMatch(Joined(html));
    }

    private static bool MentionsException(string text) => text.Contains("exception", StringComparison.OrdinalIgnoreCase);

    /// <summary>A property that nbformat stores as a string or as an array of lines, joined.</summary>
    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out JsonElement value) ? Joined(value) : "";

    private static string Joined(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => string.Concat(value.EnumerateArray().Select(line => line.GetString())),
        _ => "",
    };

    // An <img> whose src is a PNG data URI with some payload.
    [GeneratedRegex("<img[^>]+src=[\"']" + PngDataUri + "[A-Za-z0-9+/]{100,}", RegexOptions.IgnoreCase)]
    private static partial Regex ImgWithPng();
}
