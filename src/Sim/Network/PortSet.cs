using System.Diagnostics;
using System.Numerics;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// The ports of one range that are taken toward one destination, as offsets 0 … size − 1.
/// Starts sparse (a hash set: memory grows with the ports taken, so a node talking to
/// thousands of destinations a few connections each stays small) and turns dense (a bitmap,
/// size / 8 bytes) once it holds more than size / 64 ports, where the hash set would outgrow
/// the bitmap. It never turns back: a destination that was busy once is likely busy again,
/// and switching back and forth would allocate.
/// </summary>
/// <remarks>All operations are O(1) and allocate nothing, except the growth of the hash set and the one switch to the bitmap.</remarks>
internal sealed class PortSet
{
    private readonly int _size;
    private HashSet<int>? _sparse = [];
    private ulong[]? _dense;

    public PortSet(int size)
    {
        Debug.Assert(size > 0);
        _size = size;
    }

    /// <summary>Ports taken.</summary>
    public int Count { get; private set; }

    public bool Contains(int offset)
    {
        Debug.Assert((uint)offset < (uint)_size);
        return _dense is { } bits ? (bits[offset >> 6] & 1UL << offset) != 0 : _sparse!.Contains(offset);
    }

    /// <summary>Takes a port; returns false if it was already taken.</summary>
    public bool Add(int offset)
    {
        Debug.Assert((uint)offset < (uint)_size);
        if (_dense is { } bits)
        {
            ulong mask = 1UL << offset;
            if ((bits[offset >> 6] & mask) != 0) return false;
            bits[offset >> 6] |= mask;
        }
        else
        {
            if (!_sparse!.Add(offset)) return false;
            if (_sparse.Count > _size / 64) Densify();
        }
        Count++;
        return true;
    }

    /// <summary>Frees a port; returns false if it was not taken.</summary>
    public bool Remove(int offset)
    {
        Debug.Assert((uint)offset < (uint)_size);
        if (_dense is { } bits)
        {
            ulong mask = 1UL << offset;
            if ((bits[offset >> 6] & mask) == 0) return false;
            bits[offset >> 6] &= ~mask;
        }
        else if (!_sparse!.Remove(offset))
        {
            return false;
        }
        Count--;
        return true;
    }

    /// <summary>
    /// The first free offset at or after <paramref name="start"/> within the window
    /// [<paramref name="first"/>, <paramref name="first"/> + <paramref name="length"/>), wrapping
    /// around inside the window; −1 if the window is full. O(length) in the worst case, but a
    /// dense set skips 64 taken ports per step.
    /// </summary>
    public int FindFree(int first, int length, int start)
    {
        Debug.Assert(first >= 0 && length > 0 && first + length <= _size && start >= first && start < first + length);
        int end = first + length;
        int position = start;
        for (int scanned = 0; scanned < length;)
        {
            if (_dense is { } bits && (position & 63) == 0 && position + 64 <= end && bits[position >> 6] == ulong.MaxValue)
            {
                position += 64;
                scanned += 64;
            }
            else
            {
                if (!Contains(position)) return position;
                position++;
                scanned++;
            }
            if (position == end) position = first;
        }
        return -1;
    }

    private void Densify()
    {
        var bits = new ulong[(_size + 63) >> 6];
        foreach (int offset in _sparse!) bits[offset >> 6] |= 1UL << offset;
        Debug.Assert(bits.Sum(w => BitOperations.PopCount(w)) == _sparse.Count);
        _dense = bits;
        _sparse = null;
    }
}
