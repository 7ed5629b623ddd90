using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Operators;
using Rivulet.Core.Runtime.Tasks;
using Rivulet.Core.State;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Tests.Harness;

/// <summary>
/// Drives one operator without threads, as Flink's operator test harnesses do: the test hands in
/// elements and watermarks, moves processing time on a fake clock, and decides when mail (timer
/// firings, async completions) runs; snapshots come out as bytes and go into a new harness, also at
/// another parallelism.
/// </summary>
internal sealed class OperatorTestHarness<TOut> : IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<Action> _mail = new();
    private readonly ProcessingTimeService _processingTime;
    private long _checkpointId;

    /// <param name="create">Makes the operator, emitting into the harness's output.</param>
    /// <param name="keyed">For keyed operators: the key type's serializer (the backend is a heap one, like the job's).</param>
    public OperatorTestHarness(Func<IOutput<TOut>, StreamOperator> create, Func<KeyGroupRange, IKeyedStateBackend>? keyed = null,
        int subtaskIndex = 0, int parallelism = 1, FakeTimeProvider? clock = null, IReadOnlyList<byte[]>? restoreFrom = null)
    {
        Clock = clock ?? new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _processingTime = new ProcessingTimeService(_mail.Enqueue, Clock);
        Operator = create(Output);
        Operator.Context = new OperatorContext("harness", "operator under test", "uid", subtaskIndex, parallelism, MaxParallelism, 1, true, NullLoggerFactory.Instance)
        {
            TimeProvider = Clock,
            KeyedBackend = keyed?.Invoke(KeyGroupRange.ForSubtask(MaxParallelism, parallelism, subtaskIndex)),
        };
        Operator.Context.ProcessingTime = _processingTime;
        Operator.Context.Mailbox = new HarnessMailbox(this);
        Operator.Context.KeyedBackend?.UseClock(Clock);
        if (restoreFrom is not null)
        {
            Operator.Context.RestoredCheckpointId = 1;
            OperatorSnapshotFile.Restore(Operator.Context, [.. restoreFrom.Select((bytes, i) => ($"subtask-{i}", bytes))]);
        }

        Operator.InitializeState();
        Operator.Open();
    }

    public const int MaxParallelism = 128;

    public FakeTimeProvider Clock { get; }

    public StreamOperator Operator { get; }

    /// <summary>What the operator emitted, in order.</summary>
    public CollectedOutput Output { get; } = new();

    /// <summary>A heap keyed backend for keys of <typeparamref name="TKey"/>.</summary>
    public static Func<KeyGroupRange, IKeyedStateBackend> Keyed<TKey>()
        where TKey : notnull =>
        range => new HeapKeyedStateBackend<TKey>("operator under test", TypeSerializers.For<TKey>("key"), MaxParallelism, range);

    public void ProcessElement<TIn>(TIn value, long timestamp) => ((IInput<TIn>)Operator).ProcessElement(value, timestamp);

    public void ProcessElement1<T1, T2>(T1 value, long timestamp) => ((TwoInputOperator<T1, T2, TOut>)Operator).ProcessElement1(value, timestamp);

    public void ProcessElement2<T1, T2>(T1 _, T2 value, long timestamp) => ((TwoInputOperator<T1, T2, TOut>)Operator).ProcessElement2(value, timestamp);

    public void ProcessWatermark(long watermark) => Operator.ProcessWatermark(watermark);

    /// <summary>Moves processing time on; timers that fall due post mail, which runs now.</summary>
    public void AdvanceProcessingTime(TimeSpan by)
    {
        Clock.Advance(by);
        RunMail();
    }

    /// <summary>Runs the mail posted so far (and what it posts), on the calling thread.</summary>
    public void RunMail()
    {
        while (_mail.TryDequeue(out var mail))
        {
            mail();
        }
    }

    /// <summary>The operator's state as a checkpoint would take it now.</summary>
    public byte[] Snapshot()
    {
        Operator.SnapshotState(++_checkpointId, Clock.GetUtcNow().ToUnixTimeMilliseconds());
        return OperatorSnapshotFile.Write(Operator.Context);
    }

    public void Dispose()
    {
        Operator.Dispose();
        _processingTime.Dispose();
    }

    /// <summary>Mail goes to the harness's queue; a yield runs it, and with none pending fails instead of blocking the test forever.</summary>
    private sealed class HarnessMailbox(OperatorTestHarness<TOut> harness) : IMailbox
    {
        public void Post(Action mail) => harness._mail.Enqueue(mail);

        public void Yield(TimeSpan wait)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (harness._mail.IsEmpty)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("The operator waits for mail that does not come (an async call never completes?).");
                }

                Thread.Sleep(1);
            }

            harness.RunMail();
        }
    }

    /// <summary>Records and watermarks, as emitted.</summary>
    public sealed class CollectedOutput : IOutput<TOut>
    {
        public List<(TOut Value, long Timestamp)> Records { get; } = [];

        public List<long> Watermarks { get; } = [];

        /// <summary>Records and watermarks interleaved as they were emitted ("W100" for a watermark).</summary>
        public List<string> Events { get; } = [];

        public void Collect(TOut value, long timestamp)
        {
            Records.Add((value, timestamp));
            Events.Add($"{value}");
        }

        public void EmitWatermark(long watermark)
        {
            Watermarks.Add(watermark);
            Events.Add($"W{watermark}");
        }

        public void EmitIdleness(bool idle)
        {
        }

        public void BroadcastEvent(StreamEvent streamEvent)
        {
        }

        public void Flush()
        {
        }
    }
}
