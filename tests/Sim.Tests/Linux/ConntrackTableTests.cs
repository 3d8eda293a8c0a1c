using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;
using FsCheck.Xunit;

namespace ClusterNetPerf.Sim.Tests.Linux;

public sealed class ConntrackTableTests
{
    private static readonly IPv4Address Client = IPv4Address.Parse("10.244.0.2");
    private static readonly IPv4Address ServiceIp = IPv4Address.Parse("10.96.0.10");
    private static readonly IPv4Address Backend = IPv4Address.Parse("10.244.1.7");

    private static FlowTuple ToService(ushort port) => new(Client, port, ServiceIp, 80, IpProtocol.Tcp);
    private static FlowTuple FromBackend(ushort port) => new(Backend, 80, Client, port, IpProtocol.Tcp);

    private static ConntrackTable Table(long max) => new(max, Math.Max(1, max / 4), new ConntrackTimeouts(), new System.Random(1));

    [Fact]
    public void Reply_direction_finds_the_entry_and_its_original_destination()
    {
        ConntrackTable table = Table(10);
        Assert.Equal(ConntrackInsertResult.Inserted, table.TryInsert(SimTime.Zero, ToService(40000), FromBackend(40000), ConntrackState.TcpSynSent, out ConntrackEntryId entry));
        Assert.True(table.TryLookup(SimTime.Zero, FromBackend(40000), out ConntrackEntryId found, out bool isReply));
        Assert.Equal(entry, found);
        Assert.True(isReply);
        Assert.Equal(ServiceIp, table.Original(found).DestinationIp);
        Assert.True(table.TryLookup(SimTime.Zero, ToService(40000), out _, out bool originalIsReply));
        Assert.False(originalIsReply);
    }

    [Fact]
    public void Entries_expire_after_their_state_timeout_and_time_wait_follows_close()
    {
        ConntrackTable table = Table(10);
        table.TryInsert(SimTime.Zero, ToService(1), FromBackend(1), ConntrackState.TcpSynSent, out ConntrackEntryId entry);
        table.SetState(SimTime.FromSeconds(1), entry, ConntrackState.TcpEstablished);
        table.SetState(SimTime.FromSeconds(2), entry, ConntrackState.TcpTimeWait);
        table.Expire(SimTime.FromSeconds(121.9));
        Assert.Equal(1, table.Count);
        table.Expire(SimTime.FromSeconds(122));
        Assert.Equal(0, table.Count);
        // Occupancy was 1 for 122 s of the 244 s.
        Assert.Equal(0.5, table.MeanOccupancy(SimTime.FromSeconds(244)), 9);
    }

    [Fact]
    public void Full_table_refuses_new_flows_when_every_entry_is_assured()
    {
        ConntrackTable table = Table(3);
        for (ushort p = 1; p <= 3; p++)
        {
            table.TryInsert(SimTime.Zero, ToService(p), FromBackend(p), ConntrackState.TcpSynSent, out ConntrackEntryId e);
            table.SetState(SimTime.Zero, e, ConntrackState.TcpEstablished);
        }
        Assert.Equal(ConntrackInsertResult.TableFull, table.TryInsert(SimTime.Zero, ToService(4), FromBackend(4), ConntrackState.TcpSynSent, out _));
        Assert.Equal(1, table.DroppedFull);
        Assert.Equal(0, table.EarlyDropped);
    }

    [Fact]
    public void Full_table_early_drops_a_non_assured_entry_to_admit_a_new_flow()
    {
        // With max/buckets = 4 the scan sees 32 entries: an all-unassured table always yields one.
        ConntrackTable table = Table(3);
        for (ushort p = 1; p <= 3; p++) table.TryInsert(SimTime.Zero, ToService(p), FromBackend(p), ConntrackState.TcpSynSent, out _);
        Assert.Equal(ConntrackInsertResult.Inserted, table.TryInsert(SimTime.Zero, ToService(4), FromBackend(4), ConntrackState.TcpSynSent, out _));
        Assert.Equal(1, table.EarlyDropped);
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void A_tuple_already_tracked_clashes()
    {
        ConntrackTable table = Table(10);
        table.TryInsert(SimTime.Zero, ToService(9), FromBackend(9), ConntrackState.TcpSynSent, out _);
        Assert.Equal(ConntrackInsertResult.Clash, table.TryInsert(SimTime.Zero, ToService(9), FromBackend(9), ConntrackState.TcpSynSent, out _));
    }

    [Fact]
    public void A_stale_handle_cannot_touch_the_flow_that_took_its_slot()
    {
        // A SYN_SENT entry is early-dropped to admit another flow, which takes the freed slot;
        // the first connection's SYN-ACK must not promote the newcomer to ESTABLISHED.
        ConntrackTable table = Table(1);
        table.TryInsert(SimTime.Zero, ToService(1), FromBackend(1), ConntrackState.TcpSynSent, out ConntrackEntryId first);
        Assert.Equal(ConntrackInsertResult.Inserted, table.TryInsert(SimTime.Zero, ToService(2), FromBackend(2), ConntrackState.TcpSynSent, out ConntrackEntryId second));
        Assert.Equal(1, table.EarlyDropped);
        table.SetState(SimTime.Zero, first, ConntrackState.TcpEstablished);
        Assert.Equal(ConntrackState.TcpSynSent, table.State(second));
        Assert.False(table.IsLive(first));
        Assert.Throws<InvalidOperationException>(() => table.Original(first));
    }

    [Property(MaxTest = 200)]
    public bool Occupancy_never_exceeds_the_table_size(byte max, ushort[] ports, bool[] assure)
    {
        long size = 1 + max % 16;
        ConntrackTable table = Table(size);
        long t = 0;
        for (int i = 0; i < ports.Length; i++)
        {
            t += 1_000_000_000L * (ports[i] % 7);
            var now = new SimTime(t);
            if (table.TryInsert(now, ToService(ports[i]), FromBackend(ports[i]), ConntrackState.TcpSynSent, out ConntrackEntryId e) == ConntrackInsertResult.Inserted
                && assure.Length > 0 && assure[i % assure.Length])
                table.SetState(now, e, ConntrackState.TcpTimeWait);
            if (table.Count > size || table.Peak > size) return false;
        }
        return true;
    }
}
