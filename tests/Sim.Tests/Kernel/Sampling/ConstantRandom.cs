namespace ClusterNetPerf.Sim.Tests.Kernel.Sampling;

/// <summary>A generator stuck at one uniform draw, to reach the edges of inverse-CDF sampling.</summary>
internal sealed class ConstantRandom(double uniform) : System.Random
{
    public override double NextDouble() => uniform;

    protected override double Sample() => uniform;
}
