using ClusterNetPerf.Scenarios.Output;

namespace ClusterNetPerf.Scenarios.Validation;

/// <summary>The rows of one comparison and the chart they share; each row is linked to the chart.</summary>
public sealed record ValidationGroup
{
    public ValidationGroup(IEnumerable<ValidationRow> rows, string chartName, Chart chart)
    {
        // Published markers often sit at the data's corners, where a legend drawn over the data would hide them.
        Chart = new ValidationChart(chartName, chart with { LegendOutside = true });
        Rows = [.. rows.Select(row => row with { Chart = chartName })];
    }

    public IReadOnlyList<ValidationRow> Rows { get; }
    public ValidationChart Chart { get; }
}
