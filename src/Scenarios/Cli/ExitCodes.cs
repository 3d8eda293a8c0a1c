namespace ClusterNetPerf.Scenarios.Cli;

/// <summary>The process exit codes of <c>clusternetperf</c> (docs/cli.md, "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>Anything other than bad input: a failure inside a run, an I/O error, cancellation.</summary>
    public const int Failure = 1;
    /// <summary>Bad input: an invalid scenario, override or argument, or a missing file; nothing was written.</summary>
    public const int BadInput = 2;
}
