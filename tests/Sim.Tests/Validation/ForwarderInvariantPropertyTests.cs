using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Tests.Network;
using FsCheck;
using FsCheck.Xunit;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>
/// Sent = Delivered + Dropped + InFlight at every event of a run (each send, each hop arrival,
/// each delivery and drop), with the counts checked against what the sink actually heard and
/// against the events the forwarder has pending.
/// </summary>
public sealed class ForwarderInvariantPropertyTests
{
    [Property(MaxTest = 200)]
    public void Every_message_is_delivered_dropped_or_in_flight_at_every_event((ushort GapNs, ushort SizeBytes)[] sends)
    {
        var simulator = new Simulator();
        var forwarder = new Forwarder(simulator);
        var sink = new CountingSink();
        var sender = new ScriptedSender(simulator, forwarder, sink, sends);
        int checks = 0;
        void Check()
        {
            checks++;
            Assert.Equal(forwarder.Sent, sink.Delivered + sink.Dropped + forwarder.InFlight);
            Assert.Equal(sink.Delivered, forwarder.Delivered);
            Assert.Equal(sink.Dropped, forwarder.Dropped);
            Assert.InRange(forwarder.InFlight, 0, forwarder.Sent);
        }
        var cpu = new Cpu("cpu", cores: 2);
        sender.Route = TestRoutes.Of(
            new ObservedHop(new Link("a", DataRate.Parse("1Gbps"), SimTime.FromMicroseconds(1), new ByteSize(4_000)), (_, _) => Check()),
            new ObservedHop(new CpuStage(cpu, SimTime.FromMicroseconds(2), new SimTime(300), batchBytes: 0), (_, _) => Check()),
            new ObservedHop(new Link("b", DataRate.Parse("500Mbps"), SimTime.FromMicroseconds(5), new ByteSize(3_000)), (_, _) => Check()));
        sink.OnEach = Check;
        sender.OnEach = () =>
        {
            Check();
            // Outside the forwarder's own events, each message in flight has exactly one pending event.
            Assert.Equal(forwarder.InFlight, simulator.PendingEvents - sender.PendingSends);
        };

        sender.Start();
        simulator.Run();

        Assert.Equal(sends.Length, forwarder.Sent);
        Assert.Equal(0, forwarder.InFlight);
        Assert.True(checks >= 2 * sends.Length);
    }

    private sealed class CountingSink : IMessageSink
    {
        public Action OnEach { get; set; } = () => { };
        public long Delivered { get; private set; }
        public long Dropped { get; private set; }

        public void OnDelivered(in Message message)
        {
            Delivered++;
            OnEach();
        }

        public void OnDropped(in Message message, HopDropReason reason, int hopIndex)
        {
            Dropped++;
            OnEach();
        }
    }

    private sealed class ScriptedSender(Simulator simulator, Forwarder forwarder, IMessageSink sink, (ushort GapNs, ushort SizeBytes)[] sends) : IEventTarget
    {
        public Route Route { get; set; }
        public Action OnEach { get; set; } = () => { };
        public int PendingSends { get; private set; }

        public void Start()
        {
            long at = 0;
            for (int i = 0; i < sends.Length; i++)
            {
                at += sends[i].GapNs;
                simulator.Schedule(new SimTime(at), this, 0, i);
            }
            PendingSends = sends.Length;
        }

        public void OnEvent(int kind, long argument)
        {
            PendingSends--;
            var message = new Message { SizeBytes = 1 + sends[argument].SizeBytes % 2_000, Packets = 1 + sends[argument].SizeBytes % 3, Flow = argument };
            forwarder.Send(Route, message, sink);
            OnEach();
        }
    }
}
