using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Connectors.Kafka.Sink.Writer;
using Rivulet.Connectors.Kafka.Tests.Sink.Recovery;
using Rivulet.Core.Serialization;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

/// <summary>
/// A sink stops when its job does, even while the brokers are unreachable, and never leaves a
/// client behind: a cancelled subtask's blocked send, flush or commit ends within a second or
/// two, a start that fails part-way closes every producer it had opened, and closing goes on
/// past a client that fails to close.
/// </summary>
[Collection(ClientHandles.Collection)]
public sealed class SinkShutdownTests : IDisposable
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);
    private readonly KafkaTestCluster _cluster = KafkaTestCluster.Start(1);

    [Fact]
    public async Task Cancelling_ends_a_send_blocked_on_a_full_queue_while_the_broker_is_down()
    {
        var topic = NewTopic();
        using var cancel = new CancellationTokenSource();
        using var metrics = new KafkaSinkMetrics("sink", 0);
        using var writer = new NonTransactionalKafkaWriter<string>(
            SinkTestSupport.Settings(_cluster.BootstrapServers, topic, Semantic.AtLeastOnce, p => p["queue.buffering.max.messages"] = "5"),
            Values, new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger, cancel.Token);
        writer.Write("warm-up", null);
        writer.SnapshotState(1);
        _cluster.SetBrokerDown(1);

        var sending = Task.Run(() =>
        {
            for (var i = 0; ; i++)
            {
                writer.Write($"r{i}", null);
            }
        }, TestContext.Current.CancellationToken);
        await WaitUntilBlockedAsync(sending, () => metrics.RecordsSent >= 6);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(Prompt, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Cancelling_ends_a_checkpoint_flush_waiting_for_a_broker_that_is_down()
    {
        var topic = NewTopic();
        using var cancel = new CancellationTokenSource();
        using var metrics = new KafkaSinkMetrics("sink", 0);
        using var writer = new NonTransactionalKafkaWriter<string>(SinkTestSupport.Settings(_cluster.BootstrapServers, topic, Semantic.AtLeastOnce),
            Values, new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger, cancel.Token);
        writer.Write("warm-up", null);
        writer.SnapshotState(1);
        _cluster.SetBrokerDown(1);
        writer.Write("stuck", null);

        var flushing = Task.Run(() => writer.SnapshotState(2), TestContext.Current.CancellationToken);
        await WaitUntilBlockedAsync(flushing, () => true);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flushing.WaitAsync(Prompt, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Cancelling_ends_a_transaction_commit_waiting_for_a_broker_that_is_down()
    {
        var topic = NewTopic();
        using var cancel = new CancellationTokenSource();
        using var metrics = new KafkaSinkMetrics("sink", 0);
        using var writer = TransactionalKafkaWriter<string>.Start(
            SinkTestSupport.Settings(_cluster.BootstrapServers, topic, Semantic.ExactlyOnce, p => p["transaction.timeout.ms"] = "60000") with { TransactionalIdPrefix = Prefix() },
            Values, new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger, 0, 1, RestoredSinkState.None(1, 5), new NoRecovery(), NoRecovery.Probe,
            cancel.Token);
        writer.Write("in-transaction", null);
        writer.SnapshotState(1);
        _cluster.SetBrokerDown(1);

        var committing = Task.Run(() => writer.NotifyCheckpointComplete(1), TestContext.Current.CancellationToken);
        await WaitUntilBlockedAsync(committing, () => true);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => committing.WaitAsync(Prompt, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(6)]
    public void A_start_that_fails_part_way_closes_every_producer_it_opened(int failAtStep)
    {
        var topic = NewTopic();
        using var metrics = new KafkaSinkMetrics("sink", 0);
        var before = Library.HandleCount;

        // Steps 0-4 are the five ids being fenced, 5 the end of fencing, 6 the start itself (the writer was built).
        Assert.Throws<SimulatedCrash>(() => TransactionalKafkaWriter<string>.Start(
            SinkTestSupport.Settings(_cluster.BootstrapServers, topic, Semantic.ExactlyOnce, p => p["transaction.timeout.ms"] = "60000")
                with { TransactionalIdPrefix = Prefix(), CrashPoints = new StepCounter(failAtStep) },
            Values, new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger, 0, 1, RestoredSinkState.None(1, 5), new NoRecovery(), NoRecovery.Probe,
            TestContext.Current.CancellationToken));

        Assert.Equal(before, Library.HandleCount);
    }

    [Fact]
    public void Closing_goes_on_past_a_client_that_fails_to_close_and_reports_every_failure()
    {
        var closed = new List<int>();
        var failures = ClientDisposal.CloseAll(
            [() => closed.Add(1), () => throw new KafkaException(ErrorCode.Local_Fail), () => closed.Add(3), () => throw new InvalidOperationException("second")],
            NullLogger.Instance);

        Assert.Equal([1, 3], closed);
        Assert.Equal(2, failures.Count);
    }

    public void Dispose() => _cluster.Dispose();

    private static IKafkaSerializationSchema<string> Values => new ValueOnlySerializationSchema<string>(new SimpleStringSchema());

    private static string Prefix() => "shutdown-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Waits until <paramref name="condition"/> holds and the task has had time to block; fails if it ended instead.</summary>
    private static async Task WaitUntilBlockedAsync(Task task, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition() && DateTime.UtcNow < deadline && !task.IsCompleted)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        // Blocked: still running a while later (it would have returned at once otherwise).
        await Task.WhenAny(task, Task.Delay(500, TestContext.Current.CancellationToken));
        Assert.False(task.IsCompleted, $"expected the call to block while the broker is down, but it ended: {task.Exception?.GetBaseException().Message}");
    }

    private string NewTopic()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("shutdown");
        _cluster.CreateTopic(topic, 1);
        return topic;
    }
}

/// <summary>Tests that count the process's librdkafka handles run alone.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class ClientHandles
{
    public const string Collection = "librdkafka handles";
}
