namespace ClusterNetPerf.Sim.Kernel;

/// <summary>
/// A model component that receives scheduled events. An event is a (target, kind, argument)
/// triple rather than a delegate or an event object, so scheduling allocates nothing: the
/// target already exists, and kind and argument are plain values (typically an enum and the
/// index of a pooled record, such as a connection).
/// </summary>
public interface IEventTarget
{
    /// <summary>Handles an event that falls due now (<see cref="Simulator.Now"/>).</summary>
    /// <param name="kind">What happens; the target's own code, usually an enum cast to int.</param>
    /// <param name="argument">Which record it happens to, e.g. a connection index.</param>
    void OnEvent(int kind, long argument);
}
