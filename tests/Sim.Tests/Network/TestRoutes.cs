using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Network;

/// <summary>Builds a <see cref="Route"/> in one expression for test set-up.</summary>
internal static class TestRoutes
{
    public static Route Of(params IHop[] hops)
    {
        var route = new Route();
        foreach (IHop hop in hops) route.Add(hop);
        return route;
    }
}
