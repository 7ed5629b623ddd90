using Rivulet.Core.Runtime.Tasks;
using Rivulet.Core.State;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Runtime.Timers;

/// <summary>
/// Event-time and processing-time timers of one keyed operator subtask. The timers themselves live
/// in the keyed state backend (one set per key, per time domain), so checkpoints, restores and
/// rescaling treat them exactly like keyed state; in memory, a priority queue per domain orders
/// them by time. Deleting a timer only removes it from the state; the queue drops it when it comes
/// up. Used on the subtask's thread only.
/// </summary>
internal sealed class InternalTimerService<TKey, TNamespace>
    where TKey : notnull
    where TNamespace : notnull
{
    private readonly HeapKeyedStateBackend<TKey> _backend;
    private readonly ProcessingTimeService _processingTime;
    private readonly ITimerTarget<TKey, TNamespace> _target;
    private readonly KeyedStateTable<TKey, HashSet<TimerKey<TNamespace>>> _eventTimers;
    private readonly KeyedStateTable<TKey, HashSet<TimerKey<TNamespace>>> _processingTimers;
    private readonly PriorityQueue<(TKey Key, TimerKey<TNamespace> Timer), long> _eventQueue = new();
    private readonly PriorityQueue<(TKey Key, TimerKey<TNamespace> Timer), long> _processingQueue = new();
    private long _scheduledProcessingTime = long.MaxValue;
    private int _deletedEventTimers;
    private int _deletedProcessingTimers;

    public InternalTimerService(string name, HeapKeyedStateBackend<TKey> backend, ITypeSerializer<TNamespace> namespaceSerializer,
        ProcessingTimeService processingTime, ITimerTarget<TKey, TNamespace> target)
    {
        _backend = backend;
        _processingTime = processingTime;
        _target = target;
        _eventTimers = Table(backend, $"_timers/{name}/event-time", namespaceSerializer);
        _processingTimers = Table(backend, $"_timers/{name}/processing-time", namespaceSerializer);
        // After a restore the state holds timers the queues do not know yet.
        Rebuild(_eventTimers, _eventQueue);
        Rebuild(_processingTimers, _processingQueue);
        ScheduleProcessingTime();
    }

    public long CurrentWatermark { get; private set; } = long.MinValue;

    /// <summary>The subtask's processing time (the job's clock) in Unix ms.</summary>
    public long CurrentProcessingTime => _processingTime.Now;

    /// <summary>Entries in the event-time queue, deleted timers included (bounded by compaction).</summary>
    internal int QueuedEventTimers => _eventQueue.Count;

    public void RegisterEventTimeTimer(TNamespace timerNamespace, long time) => Register(_eventTimers, _eventQueue, timerNamespace, time);

    public void DeleteEventTimeTimer(TNamespace timerNamespace, long time)
    {
        if (TryRemove(_eventTimers, _backend.CurrentKey, new TimerKey<TNamespace>(time, timerNamespace)))
        {
            CompactIfMostlyDeleted(_eventTimers, _eventQueue, ref _deletedEventTimers);
        }
    }

    public void RegisterProcessingTimeTimer(TNamespace timerNamespace, long time)
    {
        Register(_processingTimers, _processingQueue, timerNamespace, time);
        if (time < _scheduledProcessingTime)
        {
            ScheduleProcessingTime();
        }
    }

    public void DeleteProcessingTimeTimer(TNamespace timerNamespace, long time)
    {
        if (TryRemove(_processingTimers, _backend.CurrentKey, new TimerKey<TNamespace>(time, timerNamespace)))
        {
            CompactIfMostlyDeleted(_processingTimers, _processingQueue, ref _deletedProcessingTimers);
        }
    }

    /// <summary>Fires, in time order, every event-time timer at or before <paramref name="watermark"/>.</summary>
    public void AdvanceWatermark(long watermark)
    {
        CurrentWatermark = watermark;
        while (_eventQueue.TryPeek(out var entry, out var time) && time <= watermark)
        {
            _eventQueue.Dequeue();
            if (TryRemove(_eventTimers, entry.Key, entry.Timer))
            {
                _backend.SetCurrentKey(entry.Key);
                _target.OnEventTime(entry.Key, entry.Timer.Namespace, time);
            }
        }
    }

    private void OnProcessingTime(long due)
    {
        _scheduledProcessingTime = long.MaxValue;
        var now = _processingTime.Now;
        while (_processingQueue.TryPeek(out var entry, out var time) && time <= now)
        {
            _processingQueue.Dequeue();
            if (TryRemove(_processingTimers, entry.Key, entry.Timer))
            {
                _backend.SetCurrentKey(entry.Key);
                _target.OnProcessingTime(entry.Key, entry.Timer.Namespace, time);
            }
        }

        ScheduleProcessingTime();
    }

    private void ScheduleProcessingTime()
    {
        // Skip queue heads whose timers were deleted, so no wake-up is scheduled for them.
        while (_processingQueue.TryPeek(out var entry, out _) && !Contains(_processingTimers, entry.Key, entry.Timer))
        {
            _processingQueue.Dequeue();
        }

        if (_processingQueue.TryPeek(out _, out var next) && next < _scheduledProcessingTime)
        {
            _scheduledProcessingTime = next;
            _processingTime.RegisterTimer(next, OnProcessingTime);
        }
    }

    private void Register(KeyedStateTable<TKey, HashSet<TimerKey<TNamespace>>> table, PriorityQueue<(TKey, TimerKey<TNamespace>), long> queue, TNamespace timerNamespace, long time)
    {
        var byKey = table.ByKey;
        var key = _backend.CurrentKey;
        if (!byKey.TryGetValue(key, out var timers))
        {
            byKey[key] = timers = [];
        }

        var timer = new TimerKey<TNamespace>(time, timerNamespace);
        if (timers.Add(timer))
        {
            queue.Enqueue((key, timer), time);
        }
    }

    /// <summary>
    /// Deleted timers stay in the queue until their time comes; a job that keeps moving timers
    /// (a timeout re-registered per element) would grow it without bound. Once most of the queue
    /// is deleted timers, it is rebuilt from the state.
    /// </summary>
    private static void CompactIfMostlyDeleted(KeyedStateTable<TKey, HashSet<TimerKey<TNamespace>>> table, PriorityQueue<(TKey, TimerKey<TNamespace>), long> queue, ref int deleted)
    {
        deleted++;
        if (deleted < 1_024 || deleted < queue.Count / 2)
        {
            return;
        }

        deleted = 0;
        queue.Clear();
        Rebuild(table, queue);
    }

    private static bool Contains(KeyedStateTable<TKey, HashSet<TimerKey<TNamespace>>> table, TKey key, TimerKey<TNamespace> timer) =>
        table.ByKey.TryGetValue(key, out var timers) && timers.Contains(timer);

    private static bool TryRemove(KeyedStateTable<TKey, HashSet<TimerKey<TNamespace>>> table, TKey key, TimerKey<TNamespace> timer)
    {
        var byKey = table.ByKey;
        if (!byKey.TryGetValue(key, out var timers) || !timers.Remove(timer))
        {
            return false;
        }

        if (timers.Count == 0)
        {
            byKey.Remove(key);
        }

        return true;
    }

    private static void Rebuild(KeyedStateTable<TKey, HashSet<TimerKey<TNamespace>>> table, PriorityQueue<(TKey, TimerKey<TNamespace>), long> queue)
    {
        foreach (var (key, timers) in table.ByKey)
        {
            foreach (var timer in timers)
            {
                queue.Enqueue((key, timer), timer.Time);
            }
        }
    }

    private static KeyedStateTable<TKey, HashSet<TimerKey<TNamespace>>> Table(HeapKeyedStateBackend<TKey> backend, string name, ITypeSerializer<TNamespace> namespaceSerializer) =>
        backend.Table<HashSet<TimerKey<TNamespace>>>(
            name,
            (timers, writer) =>
            {
                writer.Write(timers.Count);
                foreach (var timer in timers)
                {
                    writer.Write(timer.Time);
                    namespaceSerializer.Serialize(timer.Namespace, writer);
                }
            },
            reader =>
            {
                var count = reader.ReadInt32();
                var timers = new HashSet<TimerKey<TNamespace>>(count);
                for (var i = 0; i < count; i++)
                {
                    var time = reader.ReadInt64();
                    timers.Add(new TimerKey<TNamespace>(time, namespaceSerializer.Deserialize(reader)));
                }

                return timers;
            });
}
