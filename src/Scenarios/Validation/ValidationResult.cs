namespace ClusterNetPerf.Scenarios.Validation;

/// <summary>What <see cref="ValidationSuite.Run"/> produces: every row in order, and the charts the rows link to.</summary>
public sealed record ValidationResult(IReadOnlyList<ValidationRow> Rows, IReadOnlyList<ValidationChart> Charts)
{
    public static ValidationResult Of(IEnumerable<ValidationGroup> groups)
    {
        ValidationGroup[] all = [.. groups];
        return new([.. all.SelectMany(group => group.Rows)], [.. all.Select(group => group.Chart)]);
    }
}
