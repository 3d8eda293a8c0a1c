namespace ClusterNetPerf.Sim.Kernel;

/// <summary>
/// A pool of value records (connections, lookups, messages in flight) addressed by index,
/// reused after release, so per-record state allocates nothing in steady state. Each record
/// also has a 64-bit id (index and generation) to put in event arguments: an id that outlives
/// its record is recognised as stale, never confused with the record's next tenant.
/// </summary>
/// <remarks>Allocate, release, resolve: O(1). Memory: the high-water mark of live records.</remarks>
public sealed class RecordPool<T> where T : struct
{
    private T[] _records;
    private int[] _generations;
    private bool[] _live;
    private int[] _free;
    private int _freeCount;
    private int _used;

    public RecordPool(int initialCapacity = 64)
    {
        int capacity = Math.Max(1, initialCapacity);
        _records = new T[capacity];
        _generations = new int[capacity];
        _live = new bool[capacity];
        _free = new int[capacity];
    }

    /// <summary>Records in use.</summary>
    public int Count => _used - _freeCount;

    /// <summary>The record at <paramref name="index"/>, by reference.</summary>
    public ref T this[int index] => ref _records[index];

    /// <summary>Takes a record (its fields hold whatever the last tenant left: initialise them).</summary>
    public int Allocate()
    {
        int index;
        if (_freeCount > 0)
        {
            index = _free[--_freeCount];
        }
        else
        {
            if (_used == _records.Length) Grow();
            index = _used++;
        }
        _live[index] = true;
        return index;
    }

    /// <summary>Returns a record to the pool; ids naming it become stale.</summary>
    public void Release(int index)
    {
        _live[index] = false;
        _generations[index]++;
        _free[_freeCount++] = index;
    }

    /// <summary>The id of the live record at <paramref name="index"/>.</summary>
    public long IdOf(int index) => ((long)_generations[index] << 32) | (uint)index;

    /// <summary>The index <paramref name="id"/> names, if that record is still the same live one.</summary>
    public bool TryResolve(long id, out int index)
    {
        index = (int)(id & uint.MaxValue);
        return index < _used && _live[index] && _generations[index] == (int)(id >> 32);
    }

    private void Grow()
    {
        int capacity = _records.Length * 2;
        Array.Resize(ref _records, capacity);
        Array.Resize(ref _generations, capacity);
        Array.Resize(ref _live, capacity);
        Array.Resize(ref _free, capacity);
    }
}
