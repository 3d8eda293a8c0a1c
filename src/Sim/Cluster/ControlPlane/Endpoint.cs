namespace ClusterNetPerf.Sim.Cluster.ControlPlane;

/// <summary>A Service backend: one incarnation of a pod (a restarted pod is a new endpoint).</summary>
public readonly record struct Endpoint(int Pod, int Generation)
{
    /// <summary>No endpoint (a flow to no Service, or one not yet translated).</summary>
    public static readonly Endpoint None = new(-1, 0);

    /// <summary>Whether this names a pod.</summary>
    public bool Exists => Pod >= 0;
}
