using System.CommandLine;
using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Validation;

namespace ClusterNetPerf.Scenarios.Cli;

/// <summary>
/// <c>clusternetperf validate-model</c>: runs <see cref="ValidationSuite"/> and writes the table as docs/validation.md
/// and results/validation/validation.csv. Exits with <see cref="ExitCodes.Failure"/> when a row disagrees unexplained.
/// </summary>
internal static class ValidateModelCommand
{
    public static Command Create(CliApplication application, ConsoleService console)
    {
        Option<string> markdown = new("--doc") { Description = "The Markdown page to write.", DefaultValueFactory = _ => Path.Combine("docs", "validation.md") };
        Option<string> csv = new("--csv") { Description = "The CSV file to write.", DefaultValueFactory = _ => Path.Combine("results", "validation", "validation.csv") };
        var command = new Command("validate-model", "Compare the model with published figures (rule counts, conntrack, cloud NAT limits, Cilium maps, costs) and write the table.")
        {
            markdown, csv,
        };
        command.SetAction(application.Guarded((parse, _) =>
        {
            IReadOnlyList<ValidationRow> rows = ValidationSuite.Run();
            string doc = parse.GetValue(markdown)!;
            string table = parse.GetValue(csv)!;
            foreach (string file in new[] { doc, table })
            {
                string? directory = Path.GetDirectoryName(file);
                if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            }
            AtomicFile.WriteText(doc, ValidationReport.Markdown(rows));
            ValidationReport.Csv(rows).Write(table);
            int unexplained = rows.Count(row => row.Verdict == ValidationVerdict.Disagrees);
            int explained = rows.Count(row => row.Verdict == ValidationVerdict.ExplainedDisagreement);
            console.Info($"{rows.Count} comparisons: {rows.Count - unexplained - explained} agree, {explained} explained disagreements, {unexplained} unexplained; wrote {doc} and {table}");
            return unexplained == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }));
        return command;
    }
}
