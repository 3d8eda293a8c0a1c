using System.CommandLine;
using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Validation;

namespace ClusterNetPerf.Scenarios.Cli;

/// <summary>
/// <c>clusternetperf validate-model</c>: runs <see cref="ValidationSuite"/> and writes the table as docs/validation.md
/// and results/validation/validation.csv, and one chart per comparison beside the CSV. Exits with <see cref="ExitCodes.Failure"/> when a row disagrees unexplained.
/// </summary>
internal static class ValidateModelCommand
{
    public static Command Create(CliApplication application, ConsoleService console)
    {
        Option<string> markdown = new("--doc") { Description = "The Markdown page to write.", DefaultValueFactory = _ => Path.Combine("docs", "validation.md") };
        Option<string> csv = new("--csv") { Description = "The CSV file to write.", DefaultValueFactory = _ => Path.Combine("results", "validation", "validation.csv") };
        Option<string> charts = new("--charts") { Description = "The directory to write one chart per comparison into (<name>.png and <name>.svg).", DefaultValueFactory = _ => Path.Combine("results", "validation") };
        var command = new Command("validate-model", "Compare the model with published figures (rule counts, conntrack, cloud NAT limits, Cilium maps, CoreDNS, kube-proxy CPU and rule programming) and write the table and its charts.")
        {
            markdown, csv, charts,
        };
        command.SetAction(application.Guarded((parse, _) =>
        {
            ValidationResult result = ValidationSuite.Run();
            IReadOnlyList<ValidationRow> rows = result.Rows;
            string doc = parse.GetValue(markdown)!;
            string table = parse.GetValue(csv)!;
            string chartDirectory = parse.GetValue(charts)!;
            foreach (string file in new[] { doc, table })
            {
                string? directory = Path.GetDirectoryName(file);
                if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            }
            Directory.CreateDirectory(chartDirectory);
            AtomicFile.WriteText(doc, ValidationReport.Markdown(rows));
            ValidationReport.Csv(rows).Write(table);
            foreach (ValidationChart chart in result.Charts)
            {
                chart.Chart.Save(Path.Combine(chartDirectory, chart.Name + ".png"));
                chart.Chart.Save(Path.Combine(chartDirectory, chart.Name + ".svg"));
            }
            int unexplained = rows.Count(row => row.Verdict == ValidationVerdict.Disagrees);
            int explained = rows.Count(row => row.Verdict == ValidationVerdict.ExplainedDisagreement);
            console.Info($"{rows.Count} comparisons: {rows.Count - unexplained - explained} agree, {explained} explained disagreements, {unexplained} unexplained; wrote {doc}, {table} and {result.Charts.Count} charts in {chartDirectory}");
            return unexplained == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }));
        return command;
    }
}
