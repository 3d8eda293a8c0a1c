using System.Reflection;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>The program's version as recorded in run.json (the assembly's informational version).</summary>
internal static class ProgramVersion
{
    public static string Text { get; } =
        typeof(ProgramVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
