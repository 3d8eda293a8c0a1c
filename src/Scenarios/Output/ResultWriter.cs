namespace ClusterNetPerf.Scenarios.Output;

/// <summary>Writes the result files of a run or of a shard into an output directory, replacing an earlier result set as a whole.</summary>
public static class ResultWriter
{
    /// <summary>points.csv, summary.csv, run.json and the charts of a whole sweep (or of merged shards).</summary>
    public static void WriteRun(string directory, RunReport report) => ResultDirectory.Replace(directory, staging =>
    {
        IReadOnlyList<PointSummary> summaries = PointSummary.Of(report);
        PointsCsv.ToTable(report).Write(Path.Combine(staging, PointsCsv.FileName));
        SummaryCsv.ToTable(report, summaries).Write(Path.Combine(staging, SummaryCsv.FileName));
        ChartWriter.Write(staging, report, summaries);
        AtomicFile.WriteText(Path.Combine(staging, RunDocument.FileName), RunDocument.Of(report).ToJson());
    });

    /// <summary>A shard's points.csv and shard.json; summaries and charts are made when the shards are merged.</summary>
    public static void WriteShard(string directory, RunReport report, ShardManifest manifest) => ResultDirectory.Replace(directory, staging =>
    {
        PointsCsv.ToTable(report).Write(Path.Combine(staging, PointsCsv.FileName));
        AtomicFile.WriteText(Path.Combine(staging, ShardManifest.FileName), manifest.ToJson());
    });
}
