namespace ClusterNetPerf.Scenarios.Output;

/// <summary>Writes the result files of a run or of a shard into an output directory, each atomically.</summary>
public static class ResultWriter
{
    /// <summary>points.csv, summary.csv, run.json and the charts of a whole sweep (or of merged shards).</summary>
    public static void WriteRun(string directory, RunReport report)
    {
        Directory.CreateDirectory(directory);
        IReadOnlyList<PointSummary> summaries = PointSummary.Of(report);
        PointsCsv.ToTable(report).Write(Path.Combine(directory, PointsCsv.FileName));
        SummaryCsv.ToTable(report, summaries).Write(Path.Combine(directory, SummaryCsv.FileName));
        ChartWriter.Write(directory, report, summaries);
        AtomicFile.WriteText(Path.Combine(directory, RunDocument.FileName), RunDocument.Of(report).ToJson());
    }

    /// <summary>A shard's points.csv and shard.json; summaries and charts are made when the shards are merged.</summary>
    public static void WriteShard(string directory, RunReport report, ShardManifest manifest)
    {
        Directory.CreateDirectory(directory);
        PointsCsv.ToTable(report).Write(Path.Combine(directory, PointsCsv.FileName));
        AtomicFile.WriteText(Path.Combine(directory, ShardManifest.FileName), manifest.ToJson());
    }
}
