namespace ClusterNetPerf.Sim.Cluster.ControlPlane;

/// <summary>A Service backend: one incarnation of a pod (a restarted pod is a new endpoint).</summary>
public readonly record struct Endpoint(int Pod, int Generation);
