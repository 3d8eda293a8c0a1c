using BenchmarkDotNet.Configs;

namespace ClusterNetPerf.Benchmarks;

/// <summary>Adds the <see cref="EventsPerSecondColumn"/> to a benchmark class's summary.</summary>
public sealed class EventRateConfig : ManualConfig
{
    public EventRateConfig()
    {
        AddColumn(new EventsPerSecondColumn());
    }
}
