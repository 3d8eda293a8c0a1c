using System.Globalization;
using ClusterNetPerf.Scenarios.Capacity;
using ScottPlot;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>
/// The outputs of a headroom search: <c>headroom.csv</c> (every point tried, each SLO's mean, interval
/// and verdict), <c>headroom.png</c> (the binding metric against the axis with the SLO line and the
/// answer marked) and the summary lines the command prints.
/// </summary>
public static class HeadroomWriter
{
    /// <summary>Writes headroom.csv and headroom.png into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string directory, HeadroomResult result)
    {
        Directory.CreateDirectory(directory);
        string csv = Path.Combine(directory, "headroom.csv");
        string chart = Path.Combine(directory, "headroom.png");
        Table(result).Write(csv);
        SaveChart(result, chart);
        return [csv, chart];
    }

    /// <summary>One row per point tried, in axis order.</summary>
    public static CsvTable Table(HeadroomResult result)
    {
        IReadOnlyList<Slo> slos = result.Points[0].Estimates.Select(estimate => estimate.Slo).ToArray();
        List<string> header = [result.Axis, "replications", "cached_runs"];
        for (int s = 0; s < slos.Count; s++)
            header.AddRange([$"slo{s + 1}", $"slo{s + 1}_mean", $"slo{s + 1}_ci95", $"slo{s + 1}_unsafe_bound", $"slo{s + 1}_met"]);
        header.Add("passes");
        var rows = result.Points.Select(point =>
        {
            List<string> row = [point.Value, Text(point.Replications), Text(point.Cached)];
            foreach (SloEstimate estimate in point.Estimates)
                row.AddRange([estimate.Slo.ToString(), MetricColumns.FormatDouble(estimate.Mean), MetricColumns.FormatDouble(estimate.Ci95),
                    MetricColumns.FormatDouble(estimate.UnsafeBound), estimate.Met ? "true" : "false"]);
            row.Add(point.Passes ? "true" : "false");
            return (IReadOnlyList<string>)row;
        }).ToArray();
        return new CsvTable(header, rows);
    }

    /// <summary>The answer, the binding SLO and its margin, as the command prints them.</summary>
    public static IReadOnlyList<string> Summary(HeadroomResult result)
    {
        string step = result.Range.Resolution.ToString("G6", CultureInfo.InvariantCulture);
        Slo binding = result.Binding;
        var lines = new List<string>();
        if (result.Answer is null)
        {
            SloEstimate broken = result.Points[0].Estimates.First(estimate => estimate.Slo == binding);
            lines.Add($"{result.Axis}: no headroom in the range: at {result.Points[0].Value} {binding} is already broken "
                + $"({Number(broken.Mean)} ± {Number(broken.Ci95)}, 95% CI).");
        }
        else
        {
            SloEstimate atAnswer = result.BindingAtAnswer!;
            string above = result.FirstFailure is { } fail ? $"; it breaks at {fail.Value}" : $"; the whole range holds (the answer is at least {result.Answer.Value}: widen --range)";
            lines.Add($"{result.Axis}: headroom {result.Answer.Value} (resolution {step}){above}.");
            lines.Add($"Binding SLO {binding}: {Number(atAnswer.Mean)} ± {Number(atAnswer.Ci95)} (95% CI) at the answer, "
                + $"margin {Number(atAnswer.Margin)} ({Number(100 * atAnswer.Margin / Math.Max(Math.Abs(binding.Threshold), 1e-12))} % of the threshold).");
        }
        lines.Add($"{result.Points.Count} points tried, {result.Runs} runs ({result.Points.Sum(point => point.Cached)} from the cache).");
        return lines;
    }

    private static void SaveChart(HeadroomResult result, string path)
    {
        Slo binding = result.Binding;
        int s = result.Points[0].Estimates.ToList().FindIndex(estimate => estimate.Slo == binding);
        double[] xs = [.. result.Points.Select(point => result.Range.ValueAt(point.Index))];
        double[] means = [.. result.Points.Select(point => point.Estimates[s].Mean)];
        double[] bounds = [.. result.Points.Select(point => point.Estimates[s].UnsafeBound)];
        var plot = new Plot();
        plot.Title($"Headroom of {result.Axis} under {binding}");
        plot.XLabel(result.Axis);
        plot.YLabel(Chart.LabelOf(binding.Metric));
        var meanLine = plot.Add.ScatterPoints(xs, means);
        meanLine.LegendText = "mean over replications";
        var boundLine = plot.Add.ScatterPoints(xs, bounds);
        boundLine.LegendText = "95% bound on the unsafe side";
        var sloLine = plot.Add.HorizontalLine(binding.Threshold);
        sloLine.LegendText = $"SLO {binding}";
        sloLine.LinePattern = LinePattern.Dashed;
        if (result.Answer is { } answer)
        {
            var answerLine = plot.Add.VerticalLine(result.Range.ValueAt(answer.Index));
            answerLine.LegendText = $"answer {answer.Value}";
        }
        plot.ShowLegend();
        AtomicFile.Write(path, temporary => plot.SavePng(temporary, 900, 560));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
