using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Source;
using Rivulet.Core.Api;
using Rivulet.Core.Recovery;
using Rivulet.Core.Serialization;
using Rivulet.Core.Time;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Source;

public sealed class KafkaSourceJobTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    [Fact]
    public async Task After_an_injected_failure_the_restored_offsets_give_every_record_exactly_once()
    {
        var topic = await TopicWithAsync(4, 2_000);
        var committed = new ConcurrentQueue<KeyValuePair<string, long>>();
        var env = JobWait.Checkpointed(parallelism: 2, intervalMs: 50).SetRestartStrategy(RestartStrategy.FixedDelay(3, TimeSpan.FromMilliseconds(10)));
        env.AddSource(Source(topic).SetStartFromEarliest())
            .Map(new FailOnce<string>("v777", "v1555"))
            .KeyBy(v => $"k{int.Parse(v[1..]) % 10}")
            .Sum(_ => 1)
            .AddSink(new CommittingSink<KeyValuePair<string, long>>(committed));

        var job = env.Start("source-restore");
        await JobWait.UntilAsync(() => committed.Count >= 2_000, TimeSpan.FromSeconds(60), "2000 committed counts", job);
        await job.CancelAsync();

        Assert.Equal(2, job.Metrics.Restarts);
        Assert.Equal(2_000, committed.Count);
        Assert.All(committed.GroupBy(kv => kv.Key), g => Assert.Equal(200, g.Max(kv => kv.Value)));
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(5, 2)]
    public async Task Each_partition_is_read_by_exactly_one_subtask(int partitions, int parallelism)
    {
        var topic = await TopicWithAsync(partitions, 300);
        var committed = new ConcurrentQueue<string>();
        var env = JobWait.Checkpointed(parallelism);
        env.AddSource(Source(topic).SetStartFromEarliest()).AddSink(new CommittingSink<string>(committed));

        var job = env.Start("assignment");
        await JobWait.UntilAsync(() => committed.Count >= 300, TimeSpan.FromSeconds(30), "300 records", job);
        // Two more checkpoints give duplicates time to show up, if a partition were read twice.
        var seenAt = job.Metrics.CheckpointsCompleted;
        await JobWait.UntilAsync(() => job.Metrics.CheckpointsCompleted >= seenAt + 2, TimeSpan.FromSeconds(10), "two more checkpoints", job);
        await job.CancelAsync();

        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"v{i}").Order(), committed.Order());
    }

    [Fact]
    public async Task Restored_offsets_stay_exact_when_the_source_emits_a_watermark_after_every_record()
    {
        // A punctuated strategy emits a watermark right after each record, before the source has
        // advanced its offset past it: no checkpoint may fall in between.
        var topic = await TopicWithAsync(4, 4_000);
        var group = "g-" + Guid.NewGuid().ToString("N");
        var committed = new ConcurrentQueue<KeyValuePair<string, long>>();
        var env = JobWait.Checkpointed(parallelism: 2, intervalMs: 10).SetRestartStrategy(RestartStrategy.FixedDelay(10, TimeSpan.FromMilliseconds(10)));
        env.AddSource(Source(topic, group).SetStartFromEarliest().AssignTimestampsAndWatermarks(WatermarkStrategy<string>
                .ForPunctuated((_, timestamp) => timestamp)
                .WithTimestampAssigner((value, _) => int.Parse(value[1..]))))
            .Map(new FailOnce<string>("v501", "v1201", "v1799", "v2403", "v3001", "v3555"))
            .Map(v =>
            {
                // Work in the source's chain keeps it busy between emitting a record and its watermark.
                Thread.SpinWait(2_000);
                return v;
            })
            .KeyBy(v => $"k{int.Parse(v[1..]) % 10}")
            .Sum(_ => 1)
            .AddSink(new CommittingSink<KeyValuePair<string, long>>(committed));

        var job = env.Start("source-watermarks-restore");
        // Done when a completed checkpoint covers all input: its output is committed with it.
        await JobWait.UntilAsync(() => CommittedOffsets(topic, group, 4).Values.Sum() == 4_000, TimeSpan.FromSeconds(90), "all input checkpointed", job);
        await job.CancelAsync();

        Assert.Equal(6, job.Metrics.Restarts);
        Assert.Equal(4_000, committed.Count);
        Assert.All(committed.GroupBy(kv => kv.Key), g => Assert.Equal(400, g.Max(kv => kv.Value)));
    }

    [Fact]
    public async Task Offsets_reach_the_group_only_when_a_checkpoint_completes()
    {
        var topic = await TopicWithAsync(2, 100);
        var group = "g-" + Guid.NewGuid().ToString("N");
        var seen = new ConcurrentQueue<string>();
        var env = JobWait.Checkpointed(parallelism: 1, intervalMs: 3_600_000);
        // Auto-commit settings must be ignored with checkpointing on (as in Flink).
        var autoCommit = new Dictionary<string, string> { ["enable.auto.commit"] = "true", ["auto.commit.interval.ms"] = "50" };
        env.AddSource(Source(topic, group, autoCommit).SetStartFromEarliest()).AddSink(v => seen.Enqueue(v));

        var job = env.Start("commit-on-checkpoint");
        await JobWait.UntilAsync(() => seen.Count >= 100, TimeSpan.FromSeconds(30), "100 records", job);
        // Another round trip through the broker spans many auto-commit intervals.
        await WriteAsync(topic, 2, 100, 100);
        await JobWait.UntilAsync(() => seen.Count >= 200, TimeSpan.FromSeconds(30), "200 records", job);
        Assert.Empty(CommittedOffsets(topic, group, 2));

        await job.TriggerSavepointAsync(Path.Combine(Path.GetTempPath(), "rivulet-sp-" + Guid.NewGuid().ToString("N")));
        await JobWait.UntilAsync(() => CommittedOffsets(topic, group, 2).Values.Sum() == 200, TimeSpan.FromSeconds(20), "offsets committed");
        await job.CancelAsync();

        Assert.Equal(200, CommittedOffsets(topic, group, 2).Values.Sum());
    }

    [Fact]
    public async Task Without_checkpoints_the_client_auto_commits()
    {
        var topic = await TopicWithAsync(1, 50);
        var group = "g-" + Guid.NewGuid().ToString("N");
        var seen = new ConcurrentQueue<string>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        env.AddSource(Source(topic, group, new() { ["auto.commit.interval.ms"] = "100" }).SetStartFromEarliest()).AddSink(v => seen.Enqueue(v));

        var job = env.Start("auto-commit");
        await JobWait.UntilAsync(() => seen.Count >= 50, TimeSpan.FromSeconds(30), "50 records", job);
        await JobWait.UntilAsync(() => CommittedOffsets(topic, group, 1).GetValueOrDefault(0) == 50, TimeSpan.FromSeconds(20), "auto-committed offset 50");
        await job.CancelAsync();
    }

    [Fact]
    public async Task A_topic_created_while_running_is_discovered_when_it_matches_the_pattern()
    {
        var prefix = "disc" + Guid.NewGuid().ToString("N")[..8];
        broker.Cluster.CreateTopic($"{prefix}-a", 1);
        await TestInput.WriteAsync(broker.BootstrapServers, $"{prefix}-a", 0, ["a0", "a1"]);
        var seen = new ConcurrentQueue<string>();
        var properties = Properties(null, new() { [KafkaProperties.PartitionDiscoveryIntervalMillis] = "100" });
        var env = JobWait.Checkpointed(parallelism: 2);
        env.AddSource(new KafkaConsumer<string>(new Regex($"{prefix}-.*"), new SimpleStringSchema(), properties).SetStartFromEarliest()).AddSink(v => seen.Enqueue(v));

        var job = env.Start("discovery");
        await JobWait.UntilAsync(() => seen.Count >= 2, TimeSpan.FromSeconds(30), "the first topic's records", job);
        broker.Cluster.CreateTopic($"{prefix}-b", 3);
        await TestInput.WriteAsync(broker.BootstrapServers, $"{prefix}-b", 2, ["b0", "b1", "b2"]);
        await JobWait.UntilAsync(() => seen.Count >= 5, TimeSpan.FromSeconds(30), "the new topic's records", job);
        await job.CancelAsync();

        Assert.Equal(["a0", "a1", "b0", "b1", "b2"], seen.Order());
    }

    [Fact]
    public async Task Partition_discovery_runs_on_the_jobs_clock()
    {
        var prefix = "fakedisc" + Guid.NewGuid().ToString("N")[..8];
        broker.Cluster.CreateTopic($"{prefix}-a", 1);
        await TestInput.WriteAsync(broker.BootstrapServers, $"{prefix}-a", 0, ["a0"]);
        var seen = new ConcurrentQueue<string>();
        // An hour between discoveries: only the fake clock makes the new topic appear within the test.
        var properties = Properties(null, new() { [KafkaProperties.PartitionDiscoveryIntervalMillis] = "3600000" });
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1).SetTimeProvider(clock);
        env.AddSource(new KafkaConsumer<string>(new Regex($"{prefix}-.*"), new SimpleStringSchema(), properties).SetStartFromEarliest()).AddSink(v => seen.Enqueue(v));

        var job = env.Start("fake-clock-discovery");
        await JobWait.UntilAsync(() => seen.Count >= 1, TimeSpan.FromSeconds(30), "the first topic's record", job);
        broker.Cluster.CreateTopic($"{prefix}-b", 1);
        await TestInput.WriteAsync(broker.BootstrapServers, $"{prefix}-b", 0, ["b0"]);
        await JobWait.UntilAsync(() =>
        {
            clock.Advance(TimeSpan.FromMinutes(10));
            return seen.Count >= 2;
        }, TimeSpan.FromSeconds(30), "the new topic's record after an hour of the job's clock", job);
        await job.CancelAsync();

        Assert.Equal(["a0", "b0"], seen.Order());
    }

    [Fact]
    public async Task Partitions_added_to_a_listed_topic_while_running_are_read_from_the_earliest_offset_by_their_assigned_subtasks()
    {
        var grown = KafkaTestClusterFixture.UniqueTopic("grown");
        var listed = KafkaTestClusterFixture.UniqueTopic("listed");
        broker.Cluster.CreateTopic(grown, 2);
        broker.Cluster.CreateTopic(listed, 1);
        // Before the start: the source starts from the latest offsets and must not read these.
        await WriteAsync(grown, 2, 0, 4);
        var name = "growing-" + grown;
        using var metrics = new SourceMetricsListener(name);
        using var gate = new HoldGate();
        var read = new ConcurrentQueue<(int Subtask, ReadRecord Record)>();
        var properties = Properties(null, new() { [KafkaProperties.PartitionDiscoveryIntervalMillis] = "150" });
        var env = JobWait.Checkpointed(parallelism: 2);
        env.AddSource(new KafkaConsumer<ReadRecord>([grown, listed], new ReadRecordSchema(), properties).SetStartFromLatest(), name)
            .AddSink(new HoldingSink(read, gate));

        var job = env.Start("partition-discovery");
        try
        {
            await JobWait.UntilAsync(() =>
            {
                metrics.Collect();
                return metrics.Gauge("current_offset", grown, 0) == 2 && metrics.Gauge("current_offset", grown, 1) == 2;
            }, TimeSpan.FromSeconds(30), "both partitions assigned at their end", job);

            // Partitions 0 and 1 belong to different subtasks: each one's record stops that subtask's
            // loop inside the (chained) sink, so neither can run a discovery until the gate opens.
            await TestInput.WriteAsync(broker.BootstrapServers, grown, 0, [HoldGate.Value]);
            await TestInput.WriteAsync(broker.BootstrapServers, grown, 1, [HoldGate.Value]);
            await JobWait.UntilAsync(() => gate.Held == 2, TimeSpan.FromSeconds(30), "both subtasks held", job);
            broker.Cluster.AddPartitions(grown, 6);
            foreach (var partition in new[] { 2, 3, 4, 5 })
            {
                await TestInput.WriteAsync(broker.BootstrapServers, grown, partition, [$"n{partition}-0", $"n{partition}-1"]);
            }
        }
        finally
        {
            gate.Open();
        }

        await JobWait.UntilAsync(() => read.Count >= 10, TimeSpan.FromSeconds(30), "the new partitions' records", job);
        await job.CancelAsync();

        var records = read.Select(r => r.Record).ToList();
        Assert.Equal(
            [.. Enumerable.Repeat(HoldGate.Value, 2), .. new[] { 2, 3, 4, 5 }.SelectMany(p => new[] { $"n{p}-0", $"n{p}-1" })],
            records.Select(r => r.Value).Order());
        // Read from the start of each new partition, though the source began at the latest offsets.
        Assert.All(records.Where(r => r.Partition >= 2).GroupBy(r => r.Partition), p => Assert.Equal([0L, 1L], p.Select(r => r.Offset)));
        // Each record was read by the subtask the assigner names, and the new partitions went to both.
        Assert.All(read, r => Assert.Equal(KafkaPartitionAssigner.Assign(new KafkaTopicPartition(r.Record.Topic, r.Record.Partition), 2), r.Subtask));
        Assert.Equal([0, 1], read.Where(r => r.Record.Partition >= 2).Select(r => r.Subtask).Distinct().Order());
    }

    [Fact]
    public async Task A_slow_sink_holds_back_the_source_with_bounded_buffers_and_loses_nothing()
    {
        var topic = await TopicWithAsync(2, 20_000);
        var received = 0L;
        var env = JobWait.Checkpointed(parallelism: 1, intervalMs: 200).SetChannelCapacity(2).SetBatchSize(100);
        env.AddSource(Source(topic).SetStartFromEarliest())
            .Rebalance()
            .AddSink(_ =>
            {
                if (Interlocked.Increment(ref received) % 200 == 0)
                {
                    Thread.Sleep(1);
                }
            });

        var job = env.Start("slow-sink");
        await JobWait.UntilAsync(() => Interlocked.Read(ref received) >= 20_000, TimeSpan.FromSeconds(60), "all records", job);
        await job.CancelAsync();

        var edge = Assert.Single(job.Metrics.Edges);
        Assert.True(edge.MaxOccupancy <= 2, $"channel held {edge.MaxOccupancy} batches");
        Assert.True(edge.TimesProducerBlocked > 0, "the source never waited for the sink");
        Assert.Equal(20_000, Interlocked.Read(ref received));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public async Task A_savepoint_restores_at_another_source_parallelism_exactly_and_ignores_the_start_position(int newParallelism)
    {
        var topic = await TopicWithAsync(4, 1_000);
        var committed = new ConcurrentQueue<string>();
        var first = JobWait.Checkpointed(parallelism: 2, intervalMs: 50);
        first.AddSource(Source(topic).SetStartFromEarliest()).Uid("kafka").AddSink(new CommittingSink<string>(committed)).Uid("sink");
        var job = first.Start("before-rescale");
        await JobWait.UntilAsync(() => committed.Count >= 1_000, TimeSpan.FromSeconds(60), "the first 1000 records committed", job);
        var savepoint = await job.TriggerSavepointAsync(Path.Combine(Path.GetTempPath(), "rivulet-sp-" + Guid.NewGuid().ToString("N")));
        await job.CancelAsync();

        await WriteAsync(topic, 4, 1_000, 1_000);
        // Latest would skip the records written while no job ran; the restored offsets must win.
        var second = JobWait.Checkpointed(parallelism: newParallelism, intervalMs: 50).SetStateRestorePath(savepoint.Directory);
        second.AddSource(Source(topic).SetStartFromLatest()).Uid("kafka").AddSink(new CommittingSink<string>(committed)).Uid("sink");
        var restored = second.Start("after-rescale");
        await JobWait.UntilAsync(() => committed.Count >= 2_000, TimeSpan.FromSeconds(60), "all 2000 records committed", restored);
        await restored.CancelAsync();

        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => $"v{i}").Order(), committed.Order());
    }

    [Fact]
    public async Task A_topic_that_does_not_exist_fails_the_job_at_start_naming_it()
    {
        var missing = KafkaTestClusterFixture.UniqueTopic("missing");
        var env = JobWait.Checkpointed(parallelism: 1).SetRestartStrategy(RestartStrategy.None());
        env.AddSource(Source(missing)).AddSink(_ => { });

        var error = await Assert.ThrowsAsync<JobExecutionException>(() => env.Start("missing-topic").Completion.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        Assert.Contains($"'{missing}'", error.ToString());
        Assert.Contains("exists", error.ToString());
    }

    [Fact]
    public async Task Refused_client_properties_fail_a_checkpointed_job_at_once_instead_of_restarting_forever()
    {
        var topic = await TopicWithAsync(1, 1);
        // Checkpointing on and the default restart strategy: unlimited restarts, as in Flink.
        var env = JobWait.Checkpointed(parallelism: 1);
        env.AddSource(Source(topic, null, new() { ["fetch.wait.max.ms"] = "not-a-number" })).AddSink(_ => { });

        var job = env.Start("refused-properties");
        var error = await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));

        Assert.Equal(0, job.Metrics.Restarts);
        Assert.Contains("fetch.wait.max.ms", error.Message);
    }

    [Fact]
    public async Task Restored_partitions_of_topics_no_longer_subscribed_are_dropped()
    {
        var kept = await TopicWithAsync(2, 100);
        var dropped = await TopicWithAsync(2, 100);
        var first = new CollectingValues();
        var env = JobWait.Checkpointed(parallelism: 1, intervalMs: 3_600_000);
        env.AddSource(new KafkaConsumer<string>([kept, dropped], new SimpleStringSchema(), Properties(null, null)).SetStartFromEarliest()).Uid("kafka").AddSink(first.Add).Uid("sink");
        var job = env.Start("two-topics");
        await JobWait.UntilAsync(() => first.Count >= 200, TimeSpan.FromSeconds(60), "both topics read", job);
        var savepoint = await job.TriggerSavepointAsync(Path.Combine(Path.GetTempPath(), "rivulet-sp-" + Guid.NewGuid().ToString("N")));
        await job.CancelAsync();

        await WriteAsync(kept, 2, 100, 50);
        await WriteAsync(dropped, 2, 100, 50);
        var second = new CollectingValues();
        var name = "restored-" + kept;
        using var metrics = new SourceMetricsListener(name);
        var restoredEnv = JobWait.Checkpointed(parallelism: 1, intervalMs: 3_600_000).SetStateRestorePath(savepoint.Directory);
        restoredEnv.AddSource(new KafkaConsumer<string>([kept], new SimpleStringSchema(), Properties(null, null)).SetStartFromEarliest(), name)
            .Uid("kafka").AddSink(second.Add).Uid("sink");
        var restored = restoredEnv.Start("one-topic");
        await JobWait.UntilAsync(() => second.Count >= 50, TimeSpan.FromSeconds(60), "the kept topic's new records", restored);
        metrics.Collect();
        await restored.CancelAsync();

        // The source reads only the kept topic (partitions are assigned before anything is read).
        Assert.Equal([kept], metrics.TopicsOf("current_offset"));
        Assert.Equal(Enumerable.Range(100, 50).Select(i => $"v{i}").Order(), second.Values.Order());
    }

    [Fact]
    public async Task Metrics_report_offsets_lag_and_record_counts_per_partition()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("metrics");
        broker.Cluster.CreateTopic(topic, 2);
        await WriteAsync(topic, 1, 0, 100, partition: 0);
        await WriteAsync(topic, 1, 100, 50, partition: 1);
        var group = "g-" + Guid.NewGuid().ToString("N");
        var name = "metrics-source-" + topic;
        using var listener = new SourceMetricsListener(name);
        var env = JobWait.Checkpointed(parallelism: 1, intervalMs: 50);
        // Values v140..v149 deserialize to null: skipped and counted.
        env.AddSource(new KafkaConsumer<string>(topic, new SkipAbove(139), Properties(group, null)).SetStartFromEarliest(), name).AddSink(_ => { });

        var job = env.Start("source-metrics");
        await JobWait.UntilAsync(() =>
        {
            listener.Collect();
            return listener.Gauge("committed_offset", 0) == 100 && listener.Gauge("committed_offset", 1) == 50
                && listener.Observed("librdkafka.messages_received") >= 150;
        }, TimeSpan.FromSeconds(60), "offsets 100 and 50 committed, and librdkafka's statistics", job);
        await job.CancelAsync();

        Assert.Equal(140, listener.Counter("records_read"));
        Assert.Equal(10, listener.Counter("records_skipped"));
        Assert.Equal(100, listener.Gauge("current_offset", 0));
        Assert.Equal(50, listener.Gauge("current_offset", 1));
        Assert.Equal(0, listener.Gauge("lag", 0));
        Assert.Equal(0, listener.Gauge("lag", 1));
        Assert.True(listener.Observed("librdkafka.bytes_received") >= 150 * 2, "librdkafka's received bytes (values of 2 to 4 bytes)");
        Assert.True(listener.Observed("librdkafka.fetch_queue_messages") >= 0, "librdkafka's fetch queue");
    }

    private KafkaConsumer<string> Source(string topic, string? group = null, Dictionary<string, string>? extra = null) =>
        new(topic, new SimpleStringSchema(), Properties(group, extra));

    private Dictionary<string, string> Properties(string? group, Dictionary<string, string>? extra)
    {
        var properties = new Dictionary<string, string> { ["bootstrap.servers"] = broker.BootstrapServers };
        if (group != null)
        {
            properties["group.id"] = group;
        }

        foreach (var (k, v) in extra ?? [])
        {
            properties[k] = v;
        }

        return properties;
    }

    private async Task<string> TopicWithAsync(int partitions, int records)
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("src");
        broker.Cluster.CreateTopic(topic, partitions);
        await WriteAsync(topic, partitions, 0, records);
        return topic;
    }

    /// <summary>Writes v{from}..v{from+count-1}, round robin over the partitions (or all to one).</summary>
    private async Task WriteAsync(string topic, int partitions, int from, int count, int? partition = null)
    {
        using var producer = KafkaClientsForTests.Producer(broker.BootstrapServers);
        var sends = Enumerable.Range(from, count).Select(i => producer.ProduceAsync(new TopicPartition(topic, partition ?? i % partitions),
            new Message<byte[], byte[]> { Value = System.Text.Encoding.UTF8.GetBytes($"v{i}") })).ToList();
        await Task.WhenAll(sends);
    }

    private sealed class SkipAbove(int last) : IDeserializationSchema<string>
    {
        public string? Deserialize(byte[]? message)
        {
            var value = System.Text.Encoding.UTF8.GetString(message ?? []);
            return int.Parse(value[1..], System.Globalization.CultureInfo.InvariantCulture) > last ? null : value;
        }
    }

    private Dictionary<int, long> CommittedOffsets(string topic, string group, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = group }).Build();
        return consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10))
            .Where(c => c.Offset.Value >= 0)
            .ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }

    private sealed record ReadRecord(string Topic, int Partition, long Offset, string Value);

    private sealed class ReadRecordSchema : Kafka.Source.Deserialization.IKafkaDeserializationSchema<ReadRecord>
    {
        public ReadRecord Deserialize(Kafka.Source.Deserialization.KafkaRecord record) =>
            new(record.Topic, record.Partition, record.Offset, System.Text.Encoding.UTF8.GetString(record.Value ?? []));
    }

    /// <summary>Holds every subtask that meets <see cref="Value"/> until the test opens it.</summary>
    private sealed class HoldGate : IDisposable
    {
        public const string Value = "hold";
        private readonly ManualResetEventSlim _open = new();
        private int _held;

        public int Held => Volatile.Read(ref _held);

        public void Open() => _open.Set();

        public void Dispose() => _open.Dispose();

        public void Hold()
        {
            Interlocked.Increment(ref _held);
            if (!_open.Wait(TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException("The test never opened the gate.");
            }
        }
    }

    /// <summary>Records which subtask received each record; stops at the gate's value.</summary>
    private sealed class HoldingSink(ConcurrentQueue<(int Subtask, ReadRecord Record)> read, HoldGate gate) : Core.Api.Functions.ISinkFunction<ReadRecord>, Core.Api.Functions.IRichFunction
    {
        private int _subtask;

        public void Open(Core.Api.Functions.IRuntimeContext context) => _subtask = context.SubtaskIndex;

        public void Close()
        {
        }

        public void Invoke(ReadRecord value, Core.Api.Functions.ISinkContext context)
        {
            if (value.Value == HoldGate.Value)
            {
                gate.Hold();
            }

            read.Enqueue((_subtask, value));
        }
    }

    /// <summary>Values a sink received, for reading from the test.</summary>
    private sealed class CollectingValues
    {
        private readonly ConcurrentQueue<string> _values = new();

        public int Count => _values.Count;

        public IEnumerable<string> Values => _values;

        public void Add(string value) => _values.Enqueue(value);
    }
}
