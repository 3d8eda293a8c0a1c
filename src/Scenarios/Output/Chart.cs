using System.Globalization;
using System.Text.RegularExpressions;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ScottPlot;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>
/// A chart of means with shaded 95% confidence bands, one series per line. X values written with a unit
/// ("4KiB", "250us", "25Gbps") or as plain numbers are placed on a numeric axis, logarithmic when they span
/// two decades or more; anything else (kube-proxy modes) is placed as evenly spaced categories.
/// </summary>
public sealed partial record Chart(string Title, string XLabel, string YLabel, IReadOnlyList<ChartSeries> Series)
{
    /// <summary>A horizontal line across the chart (a published limit), or null; the y axis then stops at 4× the limit.</summary>
    public ChartReference? Reference { get; init; }

    /// <summary>Published points drawn as markers without a line (one legend entry per series; its CI field is ignored).</summary>
    public IReadOnlyList<ChartSeries> Markers { get; init; } = [];

    /// <summary>Draw each mean's 95% CI as an error bar instead of a band (for points that do not form a curve).</summary>
    public bool ErrorBars { get; init; }

    /// <summary>A log10 y axis (for figures spanning several decades, such as milliseconds to hours); means must be positive.</summary>
    public bool LogarithmicY { get; init; }

    /// <summary>The legend beside the data area rather than over it (for points at the corners, such as categories).</summary>
    public bool LegendOutside { get; init; }

    private const int Width = 900;
    private const int Height = 560;
    private static readonly MarkerShape[] PublishedShapes = [MarkerShape.OpenDiamond, MarkerShape.OpenTriangleUp, MarkerShape.OpenSquare, MarkerShape.Cross];

    /// <summary>Renders to <paramref name="path"/>: SVG when it ends in <c>.svg</c>, PNG otherwise; written atomically.</summary>
    public void Save(string path)
    {
        Plot plot = Build();
        bool svg = path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase);
        AtomicFile.Write(path, temporary =>
        {
            if (svg)
            {
                plot.SaveSvg(temporary, Width, Height);
                File.WriteAllText(temporary, RenumberClipPaths(File.ReadAllText(temporary)));
            }
            else
            {
                plot.SavePng(temporary, Width, Height);
            }
        });
    }

    /// <summary>
    /// Skia numbers SVG clip paths from a process-wide counter, so the same chart drawn after another gets
    /// other ids; renumbering them in order of appearance makes the file depend on the chart alone.
    /// </summary>
    private static string RenumberClipPaths(string svg)
    {
        var ids = new Dictionary<string, string>();
        return ClipPathId().Replace(svg, match =>
        {
            if (!ids.TryGetValue(match.Value, out string? id)) ids[match.Value] = id = string.Create(CultureInfo.InvariantCulture, $"cl_{ids.Count}");
            return id;
        });
    }

    [GeneratedRegex(@"\bcl_[0-9a-f]+\b")]
    private static partial Regex ClipPathId();

    /// <summary>The y-axis label of a metric column, its unit read from the name's suffix.</summary>
    public static string LabelOf(string column) => column switch
    {
        _ when column.EndsWith("_us", StringComparison.Ordinal) => $"{column} (µs)",
        _ when column.EndsWith("_ms", StringComparison.Ordinal) => $"{column} (ms)",
        _ when column.EndsWith("_gbps", StringComparison.Ordinal) => $"{column} (Gbit/s)",
        _ when column.EndsWith("_seconds", StringComparison.Ordinal) => $"{column} (s)",
        _ when column.Contains("utilization", StringComparison.Ordinal) => $"{column} (0-1)",
        _ => $"{column} (count)",
    };

    private Plot Build()
    {
        string[] xTexts = [.. Series.Concat(Markers).SelectMany(series => series.Points.Select(point => point.X)).Distinct()];
        (Func<string, double> position, string unit, bool logarithmic) = XAxisOf(xTexts);
        var plot = new Plot();
        plot.Title(Title);
        plot.XLabel(XLabel + unit);
        plot.YLabel(YLabel);
        Func<double, double> y = LogarithmicY ? Math.Log10 : value => value;
        for (int s = 0; s < Series.Count; s++)
        {
            ChartSeries series = Series[s];
            Color color = plot.Add.Palette.GetColor(s);
            double[] xs = [.. series.Points.Select(point => position(point.X))];
            double[] means = [.. series.Points.Select(point => y(point.Mean))];
            if (ErrorBars && !LogarithmicY && series.Points.Any(point => double.IsFinite(point.Ci95) && point.Ci95 > 0))
            {
                var bars = plot.Add.ErrorBar(xs, means, [.. series.Points.Select(p => double.IsFinite(p.Ci95) ? p.Ci95 : 0)]);
                bars.Color = color;
            }
            else if (!ErrorBars && !LogarithmicY && series.Points.All(point => double.IsFinite(point.Ci95)))
            {
                var band = plot.Add.FillY(xs, [.. series.Points.Select(p => p.Mean - p.Ci95)], [.. series.Points.Select(p => p.Mean + p.Ci95)]);
                band.FillColor = color.WithAlpha(0.2);
                band.LineWidth = 0;
            }
            var line = plot.Add.Scatter(xs, means, color);
            line.LegendText = series.Name;
            if (ErrorBars)
            {
                // Points that do not form a curve (categories, a few loads): no line between them.
                line.LineWidth = 0;
                line.MarkerSize = 8;
            }
        }
        for (int m = 0; m < Markers.Count; m++)
        {
            ChartSeries published = Markers[m];
            double[] markerXs = [.. published.Points.Select(point => position(point.X))];
            double[] markerYs = [.. published.Points.Select(point => y(point.Mean))];
            var markers = plot.Add.Markers(markerXs, markerYs,
                PublishedShapes[m % PublishedShapes.Length], 11, plot.Add.Palette.GetColor(Series.Count + m));
            markers.LegendText = published.Name;
        }
        if (Reference is { } reference)
        {
            var line = plot.Add.HorizontalLine(reference.Y, pattern: LinePattern.Dashed);
            line.LegendText = reference.Label;
            // Keep the limit readable: means far above it run off the top rather than flatten everything else.
            if (Series.Any(series => series.Points.Any(point => point.Mean + point.Ci95 > 4 * reference.Y)))
                plot.Axes.SetLimitsY(0, 4 * reference.Y);
        }
        if (logarithmic) plot.Axes.Bottom.TickGenerator = LogTicks();
        if (LogarithmicY) plot.Axes.Left.TickGenerator = LogTicks();
        else if (unit.Length == 0 && !xTexts.All(IsPlainNumber))
        {
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            for (int i = 0; i < xTexts.Length; i++) ticks.AddMajor(i, xTexts[i]);
            plot.Axes.Bottom.TickGenerator = ticks;
        }
        if (Series.Count + Markers.Count > 1 || Reference is not null)
        {
            if (LegendOutside) plot.ShowLegend(Edge.Bottom);
            else plot.ShowLegend();
        }
        return plot;
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = exponent => Math.Pow(10, exponent).ToString("#,0.##########", CultureInfo.InvariantCulture),
    };

    /// <summary>How to place x texts: numeric (plain or with a unit, log10 when they span ≥ 2 decades) or categorical.</summary>
    private static (Func<string, double> Position, string Unit, bool Logarithmic) XAxisOf(string[] texts)
    {
        (Func<string, double?> parse, string unit)[] readings =
        [
            (text => IsPlainNumber(text) ? double.Parse(text, CultureInfo.InvariantCulture) : null, ""),
            (text => ByteSize.TryParse(text, out ByteSize size, out _) ? size.Bytes : null, " (bytes)"),
            (text => SimTime.TryParse(text, out SimTime time, out _) ? time.TotalSeconds : null, " (s)"),
            (text => DataRate.TryParse(text, out DataRate rate, out _) ? rate.BitsPerSecond : null, " (bit/s)"),
        ];
        foreach ((Func<string, double?> parse, string unit) in readings)
        {
            if (!texts.All(text => parse(text) is not null)) continue;
            double[] values = [.. texts.Select(text => parse(text)!.Value)];
            bool logarithmic = values.Min() > 0 && values.Max() / values.Min() >= 100;
            return (text => logarithmic ? Math.Log10(parse(text)!.Value) : parse(text)!.Value, unit, logarithmic);
        }
        return (text => Array.IndexOf(texts, text), "", false);
    }

    private static bool IsPlainNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value);
}
