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
    private static FlowTuple Flow(int n) => new(new IPv4Address(0x0A000000u + (uint)n), 40000, ServiceIp, 80, IpProtocol.Tcp);

    private static readonly KernelVersion Kernel515 = new(5, 15);
    private static readonly KernelVersion Kernel68 = new(6, 8);

    private static ConntrackTable Table(long max, long? buckets = null, KernelVersion? kernel = null, ConntrackTimeouts? timeouts = null, int seed = 1) =>
        new(max, buckets ?? Math.Max(1, max / 4), timeouts ?? new ConntrackTimeouts(), kernel ?? KernelVersion.Default, new System.Random(seed));

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
    public void An_entry_past_its_timeout_is_dead_to_lookups_but_occupies_the_table_until_the_gc_reaps_it()
    {
        // A table of a million buckets: lookups almost never meet the entry, so the GC's fixed 120 s pass (5.15) reaps it.
        ConntrackTable table = Table(10, buckets: 1 << 20, kernel: Kernel515);
        table.TryInsert(SimTime.Zero, ToService(1), FromBackend(1), ConntrackState.TcpSynSent, out ConntrackEntryId entry);
        table.SetState(SimTime.FromSeconds(1), entry, ConntrackState.TcpEstablished);
        table.SetState(SimTime.FromSeconds(2), entry, ConntrackState.TcpTimeWait);
        Assert.True(table.IsLive(SimTime.FromSeconds(121.9), entry));
        Assert.False(table.IsLive(SimTime.FromSeconds(122), entry));
        Assert.False(table.TryLookup(SimTime.FromSeconds(122), ToService(2), out _, out _));
        Assert.Equal(1, table.Count);
        Assert.Equal(1, table.ExpiredUnreaped);
        table.AdvanceTo(SimTime.FromSeconds(122 + 120));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void A_prefilled_entry_is_a_real_entry_expiring_at_its_deadline_and_reaped_by_the_gc()
    {
        ConntrackTable table = Table(10, buckets: 1 << 20, kernel: Kernel515);
        Assert.True(table.TryPrefill(SimTime.Zero, ToService(1), FromBackend(1), ConntrackState.TcpTimeWait, assured: true, SimTime.FromSeconds(30)));
        Assert.True(table.TryPrefill(SimTime.Zero, ToService(2), FromBackend(2), ConntrackState.TcpTimeWait, assured: true, SimTime.FromSeconds(50)));
        // Expired before the start, not yet reaped: counted, dead to lookups.
        Assert.True(table.TryPrefill(SimTime.Zero, ToService(3), FromBackend(3), ConntrackState.TcpTimeWait, assured: true, SimTime.FromSeconds(-5)));
        Assert.Equal(3, table.Count);
        Assert.Equal(1, table.ExpiredUnreaped);
        Assert.True(table.TryLookup(SimTime.Zero, FromBackend(1), out _, out bool isReply) && isReply);
        // A SYN on a prefilled TIME_WAIT tuple re-opens it, as on any TIME_WAIT entry.
        Assert.Equal(ConntrackInsertResult.Inserted, table.TryInsert(SimTime.FromSeconds(1), ToService(2), FromBackend(2), ConntrackState.TcpSynSent, out _));
        Assert.Equal(1, table.Reopened);
        table.PhaseGc(SimTime.FromSeconds(1), SimTime.FromSeconds(40));
        table.AdvanceTo(SimTime.FromSeconds(40));
        // The pass at 40 s reaps the entry expired before the start and the one that expired at 30 s.
        Assert.Equal(1, table.Count);
        Assert.Equal(0, table.ExpiredUnreaped);
    }

    [Fact]
    public void Prefill_keeps_the_table_within_its_size_and_its_deadlines_in_order()
    {
        ConntrackTable table = Table(2);
        Assert.True(table.TryPrefill(SimTime.Zero, ToService(1), FromBackend(1), ConntrackState.TcpTimeWait, assured: true, SimTime.FromSeconds(10)));
        Assert.False(table.TryPrefill(SimTime.Zero, ToService(1), FromBackend(1), ConntrackState.TcpTimeWait, assured: true, SimTime.FromSeconds(11)));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            table.TryPrefill(SimTime.Zero, ToService(2), FromBackend(2), ConntrackState.TcpTimeWait, assured: true, SimTime.FromSeconds(5)));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            table.TryPrefill(SimTime.Zero, ToService(2), FromBackend(2), ConntrackState.TcpTimeWait, assured: true, SimTime.FromSeconds(121)));
        Assert.True(table.TryPrefill(SimTime.Zero, ToService(2), FromBackend(2), ConntrackState.UdpUnreplied, assured: false, SimTime.FromSeconds(5)));
        Assert.False(table.TryPrefill(SimTime.Zero, ToService(3), FromBackend(3), ConntrackState.TcpTimeWait, assured: true, SimTime.FromSeconds(20)));
        Assert.Equal(2, table.Count);
    }

    [Theory]
    [InlineData(0, 60.0)]
    [InlineData(100, 60.0)]
    [InlineData(1_000, 60.0)]
    public void The_gc_interval_of_a_time_wait_population_is_its_mean_remaining_timeout_clamped_to_a_minute(int entries, double expectedSeconds)
    {
        // TIME_WAIT residuals uniform on [0, 120 s] have a mean of 60 s; averaged with 100 entries at 60 s (GC_SCAN_INITIAL_COUNT): 60 s.
        var live = new ConntrackPopulation();
        for (int i = 0; i < entries; i++) live.Add(ConntrackState.TcpTimeWait, SimTime.FromSeconds(120.0 * (i + 0.5) / entries).Nanoseconds);
        Assert.Equal(expectedSeconds, Table(10, kernel: Kernel68).GcInterval(SimTime.Zero, live).TotalSeconds, precision: 6);
        Assert.Equal(120, Table(10, kernel: Kernel515).GcInterval(SimTime.Zero, live).TotalSeconds);
    }

    [Fact]
    public void The_gc_interval_of_a_udp_population_is_the_biased_mean_of_its_remaining_timeouts()
    {
        // 900 UDP entries with residuals uniform on [0, 30 s] (mean 15 s) and the bias of 100 at 60 s: (100 × 60 + 900 × 15) / 1,000 = 19.5 s.
        var live = new ConntrackPopulation();
        for (int i = 0; i < 900; i++) live.Add(ConntrackState.UdpUnreplied, SimTime.FromSeconds(30.0 * (i + 0.5) / 900).Nanoseconds);
        Assert.Equal(19.5, Table(10, kernel: Kernel68).GcInterval(SimTime.Zero, live).TotalSeconds, precision: 6);
    }

    [Fact]
    public void A_lookup_of_an_expired_tuple_reaps_it()
    {
        ConntrackTable table = Table(10, buckets: 1 << 20, kernel: Kernel515);
        table.TryInsert(SimTime.Zero, ToService(1), FromBackend(1), ConntrackState.UdpUnreplied, out _);
        Assert.False(table.TryLookup(SimTime.FromSeconds(31), FromBackend(1), out _, out _));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void A_reset_connection_lingers_ten_seconds_in_close()
    {
        ConntrackTable table = Table(10, kernel: Kernel515);
        table.TryInsert(SimTime.Zero, ToService(1), FromBackend(1), ConntrackState.TcpSynSent, out ConntrackEntryId entry);
        table.SetState(SimTime.FromSeconds(1), entry, ConntrackState.TcpClose);
        Assert.True(table.IsLive(SimTime.FromSeconds(10.9), entry));
        Assert.False(table.IsLive(SimTime.FromSeconds(11), entry));
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
    public void Early_drop_deletes_every_non_assured_entry_of_the_first_bucket_that_has_any()
    {
        // One bucket: the first bucket early_drop walks holds all three SYN_SENT entries, and it deletes them all.
        ConntrackTable table = Table(3, buckets: 1);
        for (ushort p = 1; p <= 3; p++) table.TryInsert(SimTime.Zero, ToService(p), FromBackend(p), ConntrackState.TcpSynSent, out _);
        Assert.Equal(ConntrackInsertResult.Inserted, table.TryInsert(SimTime.Zero, ToService(4), FromBackend(4), ConntrackState.TcpSynSent, out _));
        Assert.Equal(3, table.EarlyDropped);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Early_drop_finds_a_non_assured_entry_in_eight_buckets_with_the_closed_form_probability()
    {
        // u non-assured entries in B buckets, each in two uniform chains: 8 buckets miss all of them
        // with probability ((B − 8)/B)^(2u). B = 4,096, u = 64: 0.7825.
        const int buckets = 4096, unassured = 64;
        double expectedMiss = Math.Pow((buckets - 8.0) / buckets, 2 * unassured);
        int trials = 4000, misses = 0;
        for (int t = 0; t < trials; t++)
        {
            ConntrackTable table = Table(unassured, buckets: buckets, seed: t);
            for (ushort p = 1; p <= unassured; p++) table.TryInsert(SimTime.Zero, ToService(p), FromBackend(p), ConntrackState.TcpSynSent, out _);
            if (table.TryInsert(SimTime.Zero, ToService(1000), FromBackend(1000), ConntrackState.TcpSynSent, out _) == ConntrackInsertResult.TableFull) misses++;
        }
        double sd = Math.Sqrt(expectedMiss * (1 - expectedMiss) / trials);
        Assert.InRange(misses / (double)trials, expectedMiss - 4 * sd, expectedMiss + 4 * sd);
    }

    [Theory]
    [InlineData("5.15", 10_000 / 100 * 95 - 1)]
    [InlineData("6.8", 10_000 - (64_000 / 250 + 1))]
    public void A_table_full_of_time_wait_makes_room_after_the_gcs_next_pass(string kernel, int countAfterPass)
    {
        // 5.15: the pass kills closing entries while the count is at least 95 % of max; 6.x: its first run
        // stops after GC_SCAN_EXPIRED_MAX + 1 removals (HZ 250) and the early-drop request is cleared.
        Assert.True(KernelVersion.TryParse(kernel, out KernelVersion version));
        var timeouts = new ConntrackTimeouts { TcpTimeWait = SimTime.FromSeconds(3600) };
        ConntrackTable table = Table(10_000, buckets: 1 << 20, kernel: version, timeouts: timeouts);
        for (int i = 0; i < 10_000; i++)
        {
            table.TryInsert(SimTime.Zero, Flow(i), Flow(i).Reversed(), ConntrackState.TcpSynSent, out ConntrackEntryId e);
            table.SetState(SimTime.Zero, e, ConntrackState.TcpEstablished);
            table.SetState(SimTime.Zero, e, ConntrackState.TcpTimeWait);
        }
        var blocked = Flow(20_000);
        Assert.Equal(ConntrackInsertResult.TableFull, table.TryInsert(SimTime.Zero, blocked, blocked.Reversed(), ConntrackState.TcpSynSent, out _));
        Assert.Equal(10_000, table.Count);

        table.AdvanceTo(SimTime.FromSeconds(120));
        Assert.Equal(countAfterPass, table.Count);
        Assert.Equal(10_000 - countAfterPass, table.GcEvicted);
        Assert.Equal(ConntrackInsertResult.Inserted, table.TryInsert(SimTime.FromSeconds(120), blocked, blocked.Reversed(), ConntrackState.TcpSynSent, out _));
    }

    [Fact]
    public void Without_a_refused_flow_the_gc_kills_nothing()
    {
        var timeouts = new ConntrackTimeouts { TcpTimeWait = SimTime.FromSeconds(3600) };
        ConntrackTable table = Table(100, buckets: 1 << 20, kernel: Kernel515, timeouts: timeouts);
        for (int i = 0; i < 100; i++)
        {
            table.TryInsert(SimTime.Zero, Flow(i), Flow(i).Reversed(), ConntrackState.TcpSynSent, out ConntrackEntryId e);
            table.SetState(SimTime.Zero, e, ConntrackState.TcpEstablished);
            table.SetState(SimTime.Zero, e, ConntrackState.TcpTimeWait);
        }
        table.AdvanceTo(SimTime.FromSeconds(240));
        Assert.Equal(100, table.Count);
        Assert.Equal(0, table.GcEvicted);
    }

    [Fact]
    public void A_syn_to_a_time_wait_tuple_reopens_it_rather_than_clashing()
    {
        ConntrackTable table = Table(10);
        table.TryInsert(SimTime.Zero, ToService(7), FromBackend(7), ConntrackState.TcpSynSent, out ConntrackEntryId old);
        table.SetState(SimTime.Zero, old, ConntrackState.TcpEstablished);
        table.SetState(SimTime.FromSeconds(1), old, ConntrackState.TcpTimeWait);
        Assert.Equal(ConntrackInsertResult.Inserted, table.TryInsert(SimTime.FromSeconds(2), ToService(7), FromBackend(7), ConntrackState.TcpSynSent, out ConntrackEntryId fresh));
        Assert.Equal(1, table.Reopened);
        Assert.Equal(1, table.Count);
        Assert.False(table.IsLive(SimTime.FromSeconds(2), old));
        Assert.Equal(ConntrackState.TcpSynSent, table.State(fresh));
    }

    [Fact]
    public void A_syn_to_an_established_tuple_clashes()
    {
        ConntrackTable table = Table(10);
        table.TryInsert(SimTime.Zero, ToService(7), FromBackend(7), ConntrackState.TcpSynSent, out ConntrackEntryId old);
        table.SetState(SimTime.Zero, old, ConntrackState.TcpEstablished);
        Assert.Equal(ConntrackInsertResult.Clash, table.TryInsert(SimTime.FromSeconds(2), ToService(7), FromBackend(7), ConntrackState.TcpSynSent, out _));
        Assert.Equal(0, table.Reopened);
    }

    [Fact]
    public void Occupancy_is_arrival_rate_times_time_until_reaped()
    {
        // Little's law with the kernel's lazy reaping: UDP entries live 30 s, then wait for the 5.15 GC's
        // fixed 120 s pass (a uniform residual, mean 60 s; a million buckets make lookup reaping negligible):
        // mean occupancy = λ × (30 + 60) s.
        const double rate = 20;
        var simulator = new Simulator(5);
        ConntrackTable table = new(1_000_000, 1 << 20, new ConntrackTimeouts(), Kernel515, simulator.Random.Stream("conntrack"));
        System.Random arrivals = simulator.Random.Stream("arrivals");
        double t = 0;
        int n = 0;
        SimTime warmup = SimTime.FromSeconds(600), end = SimTime.FromSeconds(600 + 100 * 120);
        bool windowStarted = false;
        while (true)
        {
            t += -Math.Log(1 - arrivals.NextDouble()) / rate;
            var now = SimTime.FromSeconds(t);
            if (now > end) break;
            if (!windowStarted && now >= warmup)
            {
                table.StartWindow(warmup);
                windowStarted = true;
            }
            var flow = Flow(n++);
            table.TryInsert(now, flow, flow.Reversed(), ConntrackState.UdpReplied, out _);
        }
        Assert.Equal(rate * 90, table.MeanOccupancy(end), 0.02 * rate * 90);
    }

    [Property(MaxTest = 100)]
    public bool Assured_established_entries_are_never_early_dropped(ushort[] ports, bool[] assure, byte max)
    {
        // Every removal is recorded with the state the entry had; ESTABLISHED lasts a day, so no expiry here.
        long size = 1 + max % 32;
        ConntrackTable table = Table(size, buckets: 1 + max % 5, kernel: max % 2 == 0 ? Kernel515 : Kernel68);
        var states = new Dictionary<ConntrackEntryId, ConntrackState>();
        var recorder = new RemovalRecorder(states);
        table.RemovalListener = recorder;
        long t = 0;
        for (int i = 0; i < ports.Length; i++)
        {
            t += 1_000_000_000L * (ports[i] % 50);
            var now = new SimTime(t);
            var flow = Flow(ports[i]);
            if (table.TryInsert(now, flow, flow.Reversed(), ConntrackState.TcpSynSent, out ConntrackEntryId e) != ConntrackInsertResult.Inserted) continue;
            states[e] = ConntrackState.TcpSynSent;
            if (assure.Length > 0 && assure[i % assure.Length])
            {
                table.SetState(now, e, ConntrackState.TcpEstablished);
                states[e] = ConntrackState.TcpEstablished;
            }
        }
        return !recorder.RemovedEstablished && table.Count <= size;
    }

    private sealed class RemovalRecorder(Dictionary<ConntrackEntryId, ConntrackState> states) : IConntrackRemovalListener
    {
        public bool RemovedEstablished { get; private set; }

        public void EntryRemoved(ConntrackEntryId id, in FlowTuple original, in FlowTuple reply)
        {
            if (states.TryGetValue(id, out ConntrackState state) && state == ConntrackState.TcpEstablished) RemovedEstablished = true;
        }
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
        Assert.False(table.IsLive(SimTime.Zero, first));
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
            {
                table.SetState(now, e, ConntrackState.TcpEstablished);
                table.SetState(now, e, ConntrackState.TcpTimeWait);
            }
            if (table.Count > size || table.Peak > size || table.ExpiredUnreaped > table.Count) return false;
        }
        return true;
    }
}
