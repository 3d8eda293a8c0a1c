namespace ClusterNetPerf.Sim.Cluster.Edge;

/// <summary>
/// Static per-VM port allocation (GCP Cloud NAT static mode, Azure Load Balancer default
/// outbound): each VM, on its first connection, is given the next free block of a fixed number
/// of ports on one public IP, filling one IP before the next. Blocks are never taken back
/// (VMs leaving are not modelled). O(1) per look-up.
/// </summary>
internal sealed class VmPortBlocks
{
    private readonly Dictionary<uint, int> _blockOfVm = [];
    private readonly int _blocksPerIp;
    private readonly int _blockCount;

    /// <param name="publicIpCount">Public IPs blocks are cut from.</param>
    /// <param name="portsPerIp">Ports per public IP.</param>
    /// <param name="portsPerVm">Ports per block; the leftover at the end of each IP's range is unused.</param>
    public VmPortBlocks(int publicIpCount, int portsPerIp, int portsPerVm)
    {
        if (portsPerVm < 1 || portsPerVm > portsPerIp)
            throw new ArgumentOutOfRangeException(nameof(portsPerVm), $"Ports per VM must be 1 to {portsPerIp}.");
        PortsPerVm = portsPerVm;
        _blocksPerIp = portsPerIp / portsPerVm;
        _blockCount = publicIpCount * _blocksPerIp;
    }

    /// <summary>Ports in each block.</summary>
    public int PortsPerVm { get; }

    /// <summary>VMs that hold a block.</summary>
    public int VmsServed => _blockOfVm.Count;

    /// <summary>
    /// The block of <paramref name="vmIp"/>, given now if it has none yet: its public IP
    /// (index) and first port (offset into the IP's range). False if every block is taken.
    /// </summary>
    public bool TryGet(uint vmIp, out int ipIndex, out int firstOffset)
    {
        if (!_blockOfVm.TryGetValue(vmIp, out int block))
        {
            if (_blockOfVm.Count == _blockCount)
            {
                ipIndex = firstOffset = 0;
                return false;
            }
            block = _blockOfVm.Count;
            _blockOfVm.Add(vmIp, block);
        }
        ipIndex = block / _blocksPerIp;
        firstOffset = block % _blocksPerIp * PortsPerVm;
        return true;
    }
}
