using System.Collections.Concurrent;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Source;
using Rivulet.Connectors.Kafka.Source.Deserialization;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Time;
using Rivulet.Core.Time.Windows;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Source;

/// <summary>
/// Watermarks generated per Kafka partition inside the source: the Kafka record timestamp is the
/// element timestamp, the source emits the minimum over its partitions, and an idle partition does
/// not stall event time (FLINK-5479).
/// </summary>
public sealed class SourceWatermarkTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_idle_partition_does_not_stall_windows_once_its_idleness_timeout_passed()
    {
        // Partition 0 gets records all along (timestamps 0, 100, 200, … ms), so it never goes idle
        // itself; partition 1 stays empty.
        var topic = CreateTopic(2);
        await ProduceAsync(topic, partition: 0, Enumerable.Range(0, 50).Select(i => i * 100L));
        using var stopProducing = new CancellationTokenSource();
        var producing = Task.Run(async () =>
        {
            for (var i = 50L; !stopProducing.IsCancellationRequested; i++)
            {
                await ProduceAsync(topic, partition: 0, [i * 100]);
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
        }, TestContext.Current.CancellationToken);
        var windows = new ConcurrentQueue<(int Partition, long Start, long Count)>();
        var env = JobWait.Checkpointed(parallelism: 1, intervalMs: 3_600_000).SetAutoWatermarkInterval(TimeSpan.FromMilliseconds(20));
        env.AddSource(Source(topic, WatermarkStrategy<(int Partition, long Timestamp)>.ForMonotonousTimestamps().WithIdleness(TimeSpan.FromMilliseconds(300))))
            .KeyBy(e => e.Partition)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Aggregate(new Count(), new Label())
            .AddSink(w => windows.Enqueue(w));

        var job = env.Start("idle-partition");
        await JobWait.UntilAsync(() => windows.Count >= 4, Deadline, "four windows while partition 1 is idle", job);
        await job.CancelAsync();
        await stopProducing.CancelAsync();
        await producing;

        Assert.Equal([(0, 0L, 10L), (0, 1_000L, 10L), (0, 2_000L, 10L), (0, 3_000L, 10L)], windows.Order().Take(4).ToList());
    }

    [Fact]
    public async Task A_partition_that_is_behind_holds_the_watermark_back_until_it_catches_up()
    {
        // Partition 0 runs to 10 s; partition 1 only to 2 s. The source's watermark is their
        // minimum, so no window past 2 s may fire before partition 1 gets later records.
        var topic = CreateTopic(2);
        await ProduceAsync(topic, partition: 0, Enumerable.Range(0, 100).Select(i => i * 100L));
        await ProduceAsync(topic, partition: 1, Enumerable.Range(0, 20).Select(i => i * 100L));
        var phase = 0;
        var windows = new ConcurrentQueue<(int Partition, long Start, long Count, int Phase)>();
        var env = JobWait.Checkpointed(parallelism: 1, intervalMs: 3_600_000).SetAutoWatermarkInterval(TimeSpan.FromMilliseconds(20));
        env.AddSource(Source(topic, WatermarkStrategy<(int Partition, long Timestamp)>.ForMonotonousTimestamps()))
            .KeyBy(e => e.Partition)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Aggregate(new Count(), new Label())
            .AddSink(w => windows.Enqueue((w.Partition, w.Start, w.Count, Volatile.Read(ref phase))));

        var job = env.Start("partition-behind");
        await JobWait.UntilAsync(() => windows.Count(w => w.Start == 0) >= 2, Deadline, "the first window of both partitions", job);
        Volatile.Write(ref phase, 1);
        await ProduceAsync(topic, partition: 1, Enumerable.Range(20, 80).Select(i => i * 100L));
        await JobWait.UntilAsync(() => windows.Count >= 18, Deadline, "the windows up to 9 s of both partitions", job);
        await job.CancelAsync();

        Assert.DoesNotContain(windows, w => w.Phase == 0 && w.Start >= 2_000);
        Assert.Equal(
            Enumerable.Range(0, 2).SelectMany(p => Enumerable.Range(0, 9).Select(s => (p, s * 1_000L, 10L))).Order(),
            windows.Select(w => (w.Partition, w.Start, w.Count)).Order().Take(18));
    }

    [Fact]
    public async Task A_subtask_without_partitions_does_not_stall_the_job()
    {
        // Three source subtasks, one partition: two subtasks read nothing and must not hold the
        // window operator's watermark back.
        var topic = CreateTopic(1);
        await ProduceAsync(topic, partition: 0, Enumerable.Range(0, 30).Select(i => i * 100L));
        var windows = new ConcurrentQueue<(int Partition, long Start, long Count)>();
        var env = JobWait.Checkpointed(parallelism: 3, intervalMs: 3_600_000).SetAutoWatermarkInterval(TimeSpan.FromMilliseconds(20));
        env.AddSource(Source(topic, WatermarkStrategy<(int Partition, long Timestamp)>.ForMonotonousTimestamps()))
            .KeyBy(e => e.Partition)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Aggregate(new Count(), new Label())
            .SetParallelism(1)
            .AddSink(w => windows.Enqueue(w)).SetParallelism(1);

        var job = env.Start("partitionless-subtasks");
        await JobWait.UntilAsync(() => windows.Count >= 2, Deadline, "two windows", job);
        await job.CancelAsync();

        Assert.Equal([(0, 0L, 10L), (0, 1_000L, 10L)], windows.Order().Take(2).ToList());
    }

    private KafkaConsumer<(int Partition, long Timestamp)> Source(string topic, WatermarkStrategy<(int Partition, long Timestamp)> strategy) =>
        new KafkaConsumer<(int Partition, long Timestamp)>(topic, new PartitionAndTimestamp(), new Dictionary<string, string> { ["bootstrap.servers"] = broker.BootstrapServers })
            .SetStartFromEarliest()
            .AssignTimestampsAndWatermarks(strategy);

    private string CreateTopic(int partitions)
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("wm");
        broker.Cluster.CreateTopic(topic, partitions);
        return topic;
    }

    /// <summary>Writes records with the given timestamps, shifted by 1 ms: Kafka clients read a timestamp of 0 as "now".</summary>
    private async Task ProduceAsync(string topic, int partition, IEnumerable<long> timestamps)
    {
        using var producer = KafkaClientsForTests.Producer(broker.BootstrapServers);
        foreach (var timestamp in timestamps)
        {
            await producer.ProduceAsync(new TopicPartition(topic, partition),
                new Message<byte[], byte[]> { Value = [1], Timestamp = new Timestamp(timestamp + 1, TimestampType.CreateTime) });
        }
    }

    private sealed class PartitionAndTimestamp : IKafkaDeserializationSchema<(int Partition, long Timestamp)>
    {
        public (int Partition, long Timestamp) Deserialize(KafkaRecord record) => (record.Partition, record.TimestampMs);
    }

    private sealed class Count : IAggregateFunction<(int Partition, long Timestamp), long, long>
    {
        public long CreateAccumulator() => 0;

        public long Add((int Partition, long Timestamp) value, long accumulator) => accumulator + 1;

        public long GetResult(long accumulator) => accumulator;

        public long Merge(long a, long b) => a + b;
    }

    private sealed class Label : ProcessWindowFunction<long, (int Partition, long Start, long Count), int>
    {
        public override void Process(int key, Context context, IEnumerable<long> elements, ICollector<(int Partition, long Start, long Count)> output) =>
            output.Collect((key, context.Window.Start, elements.Single()));
    }
}
