using System.Collections.Concurrent;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Core.Api;
using Rivulet.Core.Recovery;
using Rivulet.Core.Serialization;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

/// <summary>The Kafka sink in running jobs: what the engine's copies of it do per subtask, and how it fails.</summary>
public sealed class KafkaSinkJobTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);
    private static readonly (string, string) WithinBrokerMaximum = ("transaction.timeout.ms", "60000");

    [Fact]
    public async Task Each_sink_subtask_opens_its_own_partitioner_with_its_index_and_the_parallelism()
    {
        var topic = NewTopic(3);
        var opened = new ConcurrentQueue<(int Subtask, int Parallelism)>();
        var env = Bounded(parallelism: 3);
        env.FromCollection(Values(0, 3_000)).Rebalance()
            .AddSink(new KafkaProducer<string>(topic, new SimpleStringSchema(), Properties(), new SubtaskPartitioner(opened), Semantic.AtLeastOnce));

        await RunAsync(env, "custom-partitioner");

        Assert.Equal([(0, 3), (1, 3), (2, 3)], opened.Order());
        var read = SinkTestSupport.ReadAll(broker.BootstrapServers, topic, 3);
        Assert.Equal(3_000, read.Count);
        // Subtask i writes to partition i: every subtask routed with its own index.
        Assert.Equal([0, 1, 2], read.Select(r => r.Partition.Value).Distinct().Order());
    }

    [Fact]
    public async Task The_default_fixed_partitioner_sends_each_subtask_to_its_own_partition()
    {
        var topic = NewTopic(2);
        var env = Bounded(parallelism: 2);
        // The seeds' simplest form: broker list, topic, schema.
        env.FromCollection(Values(0, 2_000)).Rebalance()
            .AddSink(new KafkaProducer<string>(broker.BootstrapServers, topic, new SimpleStringSchema()));

        await RunAsync(env, "fixed-partitioner");

        var read = SinkTestSupport.ReadAll(broker.BootstrapServers, topic, 2);
        Assert.Equal(2_000, read.Count);
        Assert.Equal(1_000, read.Count(r => r.Partition.Value == 0));
        Assert.Equal(1_000, read.Count(r => r.Partition.Value == 1));
    }

    [Fact]
    public async Task Exactly_once_with_the_default_one_hour_transaction_timeout_fails_at_start_when_the_brokers_allow_less()
    {
        // The test broker enforces Kafka's default transaction.max.timeout.ms of 15 minutes.
        var topic = NewTopic(1);
        var env = Bounded(parallelism: 1);
        env.FromCollection(["never"]).AddSink(new KafkaProducer<string>(topic, new SimpleStringSchema(), Properties(), Semantic.ExactlyOnce));

        var failure = await Assert.ThrowsAsync<JobExecutionException>(() => RunAsync(env, "default-timeout"));

        var message = Messages(failure);
        TestContext.Current.TestOutputHelper?.WriteLine(message);
        Assert.Contains("transaction.timeout.ms=3600000 (the default)", message);
        Assert.Contains("Lower 'transaction.timeout.ms' in the sink's properties", message);
        Assert.Contains("transaction.max.timeout.ms on the brokers", message);
        Assert.Empty(SinkTestSupport.ReadAll(broker.BootstrapServers, topic, 1));
    }

    [Theory]
    [InlineData(60_000, true)]
    [InlineData(60_001, false)]
    public async Task A_configured_transaction_timeout_must_fit_the_brokers_maximum(int transactionTimeoutMs, bool fits)
    {
        using var cluster = KafkaTestCluster.Start(1, new KafkaTestClusterOptions { TransactionMaxTimeoutMs = 60_000 });
        var topic = KafkaTestClusterFixture.UniqueTopic("sink");
        cluster.CreateTopic(topic, 1);
        var env = Bounded(parallelism: 1);
        env.FromCollection(["x"]).AddSink(new KafkaProducer<string>(topic, new SimpleStringSchema(),
            Properties(cluster.BootstrapServers, ("transaction.timeout.ms", transactionTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture))), Semantic.ExactlyOnce));

        if (fits)
        {
            await RunAsync(env, "timeout-fits");
            Assert.Equal(["x"], SinkTestSupport.ReadAll(cluster.BootstrapServers, topic, 1, IsolationLevel.ReadCommitted).Select(r => SinkTestSupport.Text(r.Message.Value)));
        }
        else
        {
            var failure = await Assert.ThrowsAsync<JobExecutionException>(() => RunAsync(env, "timeout-too-long"));
            Assert.Contains($"transaction.timeout.ms={transactionTimeoutMs} ", Messages(failure));
        }
    }

    [Fact]
    public async Task Exactly_once_over_GSSAPI_fails_at_start_saying_the_recovery_client_does_not_support_it_yet()
    {
        var env = Bounded(parallelism: 1);
        env.FromCollection(["x"]).AddSink(new KafkaProducer<string>("t", new SimpleStringSchema(),
            Properties(broker.BootstrapServers, ("security.protocol", "SASL_PLAINTEXT"), ("sasl.mechanism", "GSSAPI"), ("transaction.timeout.ms", "60000")), Semantic.ExactlyOnce));

        var failure = await Assert.ThrowsAsync<JobExecutionException>(() => RunAsync(env, "gssapi"));

        Assert.Contains("sasl.mechanism=GSSAPI is not supported yet by Rivulet's transaction recovery client", Messages(failure));
    }

    [Fact]
    public async Task A_second_job_with_the_same_transactional_id_prefix_fences_the_first_which_fails_saying_so()
    {
        var topic = NewTopic(1);
        var prefix = "shared-" + Guid.NewGuid().ToString("N")[..8];
        var first = ExactlyOnceJob(topic, prefix).Start("first");
        await JobWait.UntilAsync(() => Committed(topic) >= 10, JobTimeout, "the first job to commit", first);

        var second = ExactlyOnceJob(topic, prefix).Start("second");
        try
        {
            var failure = await Assert.ThrowsAsync<JobExecutionException>(() => first.Completion.WaitAsync(JobTimeout, TestContext.Current.CancellationToken));
            var fenced = FindInner<ProducerFencedException>(failure);
            Assert.StartsWith($"{prefix}-0-", fenced.TransactionalId);
            Assert.Equal(prefix, fenced.TransactionalIdPrefix);
            var message = Messages(failure);
            TestContext.Current.TestOutputHelper?.WriteLine(fenced.Message);
            Assert.Contains($"transactional producer '{fenced.TransactionalId}' was fenced", message);
            Assert.Contains($"uses the transactional id prefix '{prefix}'", message);
            Assert.Contains("SetTransactionalIdPrefix", message);

            // The job that fenced it goes on committing.
            var committedBefore = Committed(topic);
            await JobWait.UntilAsync(() => Committed(topic) > committedBefore, JobTimeout, "the second job to commit", second);
        }
        finally
        {
            await second.CancelAsync();
        }
    }

    [Fact]
    public async Task Without_a_prefix_the_transactional_ids_derive_from_job_name_and_sink_uid()
    {
        var topic = NewTopic(1);
        var jobName = "named-" + Guid.NewGuid().ToString("N")[..8];
        var job = ExactlyOnceJob(topic, prefix: null, sinkUid: "the-sink").Start(jobName);
        await JobWait.UntilAsync(() => Committed(topic) >= 10, JobTimeout, "the job to commit", job);

        // Another producer initializing the derived ids fences the job's producers: proof they are the job's ids.
        var expectedIds = Enumerable.Range(0, 5).Select(slot => $"{jobName}-the-sink-0-{slot}").ToList();
        foreach (var id in expectedIds)
        {
            using var intruder = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, TransactionalId = id, TransactionTimeoutMs = 60_000 }).Build();
            intruder.InitTransactions(TimeSpan.FromSeconds(20));
        }

        var failure = await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion.WaitAsync(JobTimeout, TestContext.Current.CancellationToken));
        Assert.Contains(FindInner<ProducerFencedException>(failure).TransactionalId, expectedIds);
    }

    [Fact]
    public async Task Jobs_with_different_prefixes_write_side_by_side_without_fencing_each_other()
    {
        // "x" and "x-0" are a tricky pair: x-0-0-1 must never equal one of x's ids.
        var prefix = "p" + Guid.NewGuid().ToString("N")[..8];
        var topics = new[] { NewTopic(2), NewTopic(2) };
        var jobs = new[] { prefix, prefix + "-0" }.Select((p, i) =>
        {
            var env = JobWait.Checkpointed(parallelism: 2, intervalMs: 50).SetRestartStrategy(RestartStrategy.None());
            env.FromCollection(Values(0, 3_000)).Rebalance()
                .AddSink(new KafkaProducer<string>(topics[i], new SimpleStringSchema(), Properties(WithinBrokerMaximum), Semantic.ExactlyOnce).SetTransactionalIdPrefix(p));
            return env.ExecuteAsync($"side-by-side-{i}", TestContext.Current.CancellationToken);
        }).ToList();

        await Task.WhenAll(jobs).WaitAsync(JobTimeout, TestContext.Current.CancellationToken);

        foreach (var topic in topics)
        {
            var read = SinkTestSupport.ReadAll(broker.BootstrapServers, topic, 2, IsolationLevel.ReadCommitted);
            Assert.Equal(Values(0, 3_000).Order(), read.Select(r => SinkTestSupport.Text(r.Message.Value)).Order());
        }
    }

    [Fact]
    public async Task LogFailuresOnly_counts_injected_non_retriable_errors_and_the_job_goes_on()
    {
        using var cluster = KafkaTestCluster.Start(1);
        var topic = KafkaTestClusterFixture.UniqueTopic("sink");
        cluster.CreateTopic(topic, 1);
        var operatorName = "lenient-" + Guid.NewGuid().ToString("N")[..8];
        using var metrics = new SinkMetricsRecorder(operatorName);
        cluster.InjectRequestErrors(KafkaApiKey.Produce, ErrorCode.InvalidRecord, ErrorCode.MsgSizeTooLarge, ErrorCode.InvalidRecord);
        var env = Bounded(parallelism: 1);
        env.AddSource(new SlowSource(300), "slow").AddSink(new KafkaProducer<string>(topic, new SimpleStringSchema(), Properties(cluster.BootstrapServers)).SetLogFailuresOnly(true), operatorName);

        await RunAsync(env, "log-failures-only");

        var sent = metrics.Sum("rivulet.kafka.sink.records_sent");
        var acknowledged = metrics.Sum("rivulet.kafka.sink.records_acknowledged");
        var failed = metrics.Sum("rivulet.kafka.sink.records_failed");
        Assert.Equal(300, sent);
        Assert.True(failed >= 3, $"three requests failed, so at least three records; counted {failed}");
        Assert.Equal(sent, acknowledged + failed);
        Assert.Equal(acknowledged, SinkTestSupport.ReadAll(cluster.BootstrapServers, topic, 1).Count);
    }

    [Fact]
    public async Task Without_LogFailuresOnly_an_injected_non_retriable_error_fails_the_job_naming_the_topic()
    {
        using var cluster = KafkaTestCluster.Start(1);
        var topic = KafkaTestClusterFixture.UniqueTopic("sink");
        cluster.CreateTopic(topic, 1);
        cluster.InjectRequestErrors(KafkaApiKey.Produce, ErrorCode.InvalidRecord);
        var env = Bounded(parallelism: 1);
        env.AddSource(new SlowSource(300), "slow").AddSink(new KafkaProducer<string>(topic, new SimpleStringSchema(), Properties(cluster.BootstrapServers)));

        var failure = await Assert.ThrowsAsync<JobExecutionException>(() => RunAsync(env, "strict"));

        var message = Messages(failure);
        Assert.Contains($"topic '{topic}', partition 0: InvalidRecord", message);
    }

    private StreamExecutionEnvironment ExactlyOnceJob(string topic, string? prefix, string sinkUid = "sink")
    {
        var env = JobWait.Checkpointed(parallelism: 1, intervalMs: 100).SetRestartStrategy(RestartStrategy.None());
        var sink = new KafkaProducer<string>(topic, new SimpleStringSchema(), Properties(WithinBrokerMaximum), Semantic.ExactlyOnce);
        if (prefix != null)
        {
            sink.SetTransactionalIdPrefix(prefix);
        }

        env.AddSource(new TickingSource(), "ticks").AddSink(sink).Uid(sinkUid);
        return env;
    }

    private long Committed(string topic) => SinkTestSupport.LastStableOffset(broker.BootstrapServers, topic, 0);

    [Fact]
    public async Task A_bounded_exactly_once_job_commits_its_last_records_with_a_final_checkpoint_so_a_failure_at_the_end_duplicates_nothing()
    {
        // Another subtask fails while the job ends — after the sink saw the end of its input. Had the
        // sink committed then (outside any checkpoint), the restart would write those records again.
        var topic = NewTopic(1);
        var checkpoints = Directory.CreateTempSubdirectory("rivulet-final-").FullName;
        var env = Bounded(parallelism: 1).EnableCheckpointing(50).SetRestartStrategy(RestartStrategy.FixedDelay(1, TimeSpan.FromMilliseconds(10)));
        env.CheckpointConfig.CheckpointDirectory = checkpoints;
        var input = env.FromCollection(Values(0, 500)).Rebalance();
        input.AddSink(new KafkaProducer<string>(topic, new SimpleStringSchema(), Properties(WithinBrokerMaximum), Semantic.ExactlyOnce)).Name("kafka");
        input.AddSink(new FailsAtTheEndOnce(broker.BootstrapServers, topic)).Name("fails at the end").SetParallelism(1);

        var job = env.Start("final-checkpoint");
        await job.Completion.WaitAsync(JobTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(1, job.Metrics.Restarts);
        var committed = SinkTestSupport.ReadAll(broker.BootstrapServers, topic, 1, IsolationLevel.ReadCommitted).Select(r => SinkTestSupport.Text(r.Message.Value)).ToList();
        Assert.Equal(Values(0, 500).Order(StringComparer.Ordinal), committed.Order(StringComparer.Ordinal));
        Assert.Equal(SinkTestSupport.EndOffset(broker.BootstrapServers, topic, 0), SinkTestSupport.LastStableOffset(broker.BootstrapServers, topic, 0));
        // The last checkpoint is the final one, taken after all input: the job's end is in it.
        var final = Rivulet.Core.Checkpointing.CheckpointStorage.ReadMetadata(job.LastCompletedCheckpoint!.Directory);
        Assert.Equal(job.LastCompletedCheckpoint.CheckpointId, final.CheckpointId);
    }

    private static StreamExecutionEnvironment Bounded(int parallelism) =>
        StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(parallelism).SetBatchSize(10);

    private static async Task RunAsync(StreamExecutionEnvironment env, string name)
    {
        var job = env.Start(name);
        await job.Completion.WaitAsync(JobTimeout, TestContext.Current.CancellationToken);
    }

    private Dictionary<string, string> Properties(params (string Key, string Value)[] extra) => Properties(broker.BootstrapServers, extra);

    private static Dictionary<string, string> Properties(string bootstrap, params (string Key, string Value)[] extra)
    {
        var properties = new Dictionary<string, string> { ["bootstrap.servers"] = bootstrap };
        foreach (var (key, value) in extra)
        {
            properties[key] = value;
        }

        return properties;
    }

    private static IEnumerable<string> Values(int from, int count) => Enumerable.Range(from, count).Select(i => $"v{i}");

    private static string Messages(Exception error)
    {
        var messages = new List<string>();
        for (var e = error; e != null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" | ", messages);
    }

    private static TException FindInner<TException>(Exception error)
        where TException : Exception
    {
        for (var e = error; e != null; e = e.InnerException)
        {
            if (e is TException found)
            {
                return found;
            }
        }

        throw new Xunit.Sdk.XunitException($"no {typeof(TException).Name} in: {error}");
    }

    private string NewTopic(int partitions)
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("sinkjob");
        broker.Cluster.CreateTopic(topic, partitions);
        return topic;
    }

    /// <summary>
    /// At the end of its input, the first time: waits until the Kafka sink's records are visible
    /// (as they were when the sink committed at its own end of input), at most a few seconds, then fails.
    /// </summary>
    private sealed class FailsAtTheEndOnce(string bootstrap, string topic) : Rivulet.Core.Api.Functions.ISinkFunction<string>, Rivulet.Core.Api.Functions.IBoundedInput
    {
        private static readonly ConcurrentDictionary<string, bool> Failed = new();

        public void Invoke(string value, Rivulet.Core.Api.Functions.ISinkContext context)
        {
        }

        public void EndInput()
        {
            if (!Failed.TryAdd(topic, true))
            {
                return;
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
            while (DateTime.UtcNow < deadline && SinkTestSupport.LastStableOffset(bootstrap, topic, 0) == 0)
            {
                Thread.Sleep(50);
            }

            throw new InvalidOperationException("injected failure at the end of the input");
        }
    }

    /// <summary>Routes each subtask's records to the partition of its own index, and records how it was opened.</summary>
    private sealed class SubtaskPartitioner(ConcurrentQueue<(int Subtask, int Parallelism)> opened) : KafkaPartitioner<string>
    {
        private int _subtask = -1;

        public override void Open(int parallelInstanceId, int parallelInstances)
        {
            _subtask = parallelInstanceId;
            opened.Enqueue((parallelInstanceId, parallelInstances));
        }

        public override int Partition(string record, byte[]? key, byte[]? value, string targetTopic, int[] partitions) => partitions[_subtask];
    }

    /// <summary>A bounded source that pauses between records, so a sink's requests carry few records each.</summary>
    private sealed class SlowSource(int count) : Rivulet.Core.Api.Functions.ISourceFunction<string>
    {
        public async Task RunAsync(Rivulet.Core.Api.Functions.ISourceContext<string> context, CancellationToken cancellationToken)
        {
            for (var i = 0; i < count; i++)
            {
                context.Collect($"v{i}");
                if (i % 10 == 9)
                {
                    await Task.Delay(5, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
