using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.Tasks;
using Rivulet.Core.Runtime.Timers;
using Rivulet.Core.State;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Tests.EventTime;

public sealed class InternalTimerServiceTests
{
    [Fact]
    public void A_timeout_moved_on_every_element_keeps_the_queue_bounded_and_only_the_last_one_fires()
    {
        var backend = new HeapKeyedStateBackend<string>("test operator", TypeSerializers.For<string>("key"), 128, KeyGroupRange.ForSubtask(128, 1, 0));
        using var processingTime = new ProcessingTimeService(_ => { }, TimeProvider.System);
        var target = new RecordingTarget();
        var timers = new InternalTimerService<string, VoidNamespace>("timeouts", backend, VoidNamespace.Serializer, processingTime, target);

        backend.SetCurrentKey("session");
        for (var t = 0L; t < 20_000; t++)
        {
            // The session pattern: each element moves the key's timeout.
            if (t > 0)
            {
                timers.DeleteEventTimeTimer(default, t - 1 + 1_000);
            }

            timers.RegisterEventTimeTimer(default, t + 1_000);
        }

        Assert.True(timers.QueuedEventTimers < 3_000, $"{timers.QueuedEventTimers} queued for one live timer");
        timers.AdvanceWatermark(long.MaxValue);
        Assert.Equal([("session", 20_999L)], target.Fired);
    }

    private sealed class RecordingTarget : ITimerTarget<string, VoidNamespace>
    {
        public List<(string Key, long Time)> Fired { get; } = [];

        public void OnEventTime(string key, VoidNamespace timerNamespace, long time) => Fired.Add((key, time));

        public void OnProcessingTime(string key, VoidNamespace timerNamespace, long time) => Fired.Add((key, time));
    }
}
