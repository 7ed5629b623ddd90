using System.Text;
using Confluent.Kafka;
using Rivulet.Cli.Demo;
using Rivulet.Testing.Kafka;

namespace Rivulet.EndToEnd.Tests;

/// <summary>The demo's read_committed verifier finds every kind of broken output it is meant to find.</summary>
public sealed class DemoVerifierTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Counts_duplicates_missing_unexpected_records_and_wrong_per_key_counts()
    {
        var topic = NewTopic();
        using (var producer = Producer())
        {
            // Index 2 never appears; 1 appears twice (so k1 counts 1, 1); 7 is beyond N = 4; "x" is not i:count.
            Write(producer, topic, ("k0", "0:1"), ("k1", "1:1"), ("k1", "1:1"), ("k3", "3:1"), ("k7", "7:1"), ("k8", "x"));
        }

        var verdict = DemoVerifier.Verify(broker.BootstrapServers, topic, 1, expected: 4, Timeout);

        Assert.Equal(6, verdict.RecordsOut);
        Assert.Equal(3, verdict.Distinct);
        Assert.Equal(1, verdict.Duplicates);
        Assert.Equal(1, verdict.Missing);
        Assert.Equal(2, verdict.Unexpected);
        Assert.Equal(1, verdict.KeysWithWrongCounts);
        Assert.Equal(0, verdict.PartitionsWithOpenTransactions);
        Assert.False(verdict.ExactlyOnce);
        Assert.False(verdict.AtLeastOnce);
    }

    [Fact]
    public void Reads_only_from_the_start_offsets_and_passes_exact_output()
    {
        var topic = NewTopic();
        using (var producer = Producer())
        {
            Write(producer, topic, ("k0", "0:1"), ("k0", "0:1"));
            var start = new Dictionary<int, long> { [0] = 2 };
            Write(producer, topic, ("k0", "0:1"), ("k1", "1:1"), ("k0", "2:2"));

            using var verifier = new DemoVerifier(broker.BootstrapServers, topic, start, expected: 3);
            Assert.True(verifier.ReadToEnd(Timeout));
            var verdict = verifier.Verdict();

            Assert.Equal(3, verdict.RecordsOut);
            Assert.True(verdict.ExactlyOnce, verdict.ToString());
        }
    }

    [Fact]
    public void Reports_a_transaction_left_open()
    {
        var topic = NewTopic();
        using (var producer = Producer())
        {
            Write(producer, topic, ("k0", "0:1"));
        }

        using var open = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, TransactionalId = "verifier-open-" + topic }).Build();
        open.InitTransactions(Timeout);
        open.BeginTransaction();
        Write(open, topic, ("k1", "1:1"));

        var verdict = DemoVerifier.Verify(broker.BootstrapServers, topic, 1, expected: 1, Timeout);

        Assert.Equal(1, verdict.RecordsOut);
        Assert.Equal(1, verdict.PartitionsWithOpenTransactions);
        Assert.False(verdict.ExactlyOnce);
        open.AbortTransaction(Timeout);
    }

    [Fact]
    public void A_run_begins_at_the_log_end_so_an_earlier_runs_open_transaction_is_not_counted_as_this_runs_output()
    {
        // An earlier run on a shared cluster left a transaction open on the output.
        var topic = NewTopic();
        using var earlier = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, TransactionalId = "earlier-" + Guid.NewGuid().ToString("N") }).Build();
        earlier.InitTransactions(Timeout);
        earlier.BeginTransaction();
        Write(earlier, topic, ("k0", "0:1"), ("k1", "1:1"));

        using var demoBroker = DemoBroker.External(broker.BootstrapServers);
        var start = demoBroker.EndOffsets(topic, 1);

        // Where this run's output begins is the log end, past the open transaction's records — not
        // its last stable offset (0), which would make them this run's once they commit.
        Assert.Equal(2, start[0]);
        earlier.CommitTransaction(Timeout);
        using var verifier = new DemoVerifier(broker.BootstrapServers, topic, start, expected: 2);
        Assert.True(verifier.ReadToEnd(Timeout));
        Assert.Equal(0, verifier.Verdict().RecordsOut);
    }

    private string NewTopic()
    {
        var topic = "verifier-" + Guid.NewGuid().ToString("N")[..8];
        broker.Cluster.CreateTopic(topic, 1);
        return topic;
    }

    private IProducer<byte[], byte[]> Producer()
    {
        return new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();
    }

    private static void Write(IProducer<byte[], byte[]> producer, string topic, params (string Key, string Value)[] records)
    {
        foreach (var (key, value) in records)
        {
            producer.Produce(new TopicPartition(topic, 0), new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(value) });
        }

        Assert.Equal(0, producer.Flush(Timeout));
    }
}
