namespace ClusterNetPerf.Sim.Linux;

/// <summary>
/// A set of table slots that can be added to, removed from (by position) and drawn from at
/// random, each in O(1): an array filled from the front, a removal moving the last slot into
/// the hole. The owner keeps each slot's position.
/// </summary>
internal sealed class SlotSet
{
    private int[] _slots = new int[64];

    public int Count { get; private set; }

    public int this[int position] => _slots[position];

    /// <summary>Adds <paramref name="slot"/>; returns its position.</summary>
    public int Add(int slot)
    {
        if (Count == _slots.Length) Array.Resize(ref _slots, _slots.Length * 2);
        _slots[Count] = slot;
        return Count++;
    }

    /// <summary>Removes the slot at <paramref name="position"/>; returns the slot moved into it, or −1 if none moved.</summary>
    public int RemoveAt(int position)
    {
        int last = _slots[--Count];
        if (position == Count) return -1;
        _slots[position] = last;
        return last;
    }
}
