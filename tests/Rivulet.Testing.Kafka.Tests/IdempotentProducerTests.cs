using Confluent.Kafka;

namespace Rivulet.Testing.Kafka.Tests;

/// <summary>
/// An idempotent producer's batches are checked by sequence number, as a Kafka partition leader
/// checks them. The stock mock checked only transactional producers: a batch refused with a
/// retriable error could be overtaken by the next one of the same producer, which librdkafka then
/// takes as proof that the first was stored — and that record was silently lost.
/// </summary>
public sealed class IdempotentProducerTests
{
    [Fact]
    public async Task Every_acknowledged_record_is_stored_once_while_brokers_go_down_and_produce_requests_fail()
    {
        using var cluster = KafkaTestCluster.Start(3);
        var topic = KafkaTestClusterFixture.UniqueTopic("idempotent");
        cluster.CreateTopic(topic, 4, 3);
        var random = new Random(5);
        var (acknowledged, failed) = (0L, 0L);
        string? firstFailure = null;
        var written = 0;
        using (var producer = KafkaClients.Producer(cluster.BootstrapServers, c =>
        {
            c.EnableIdempotence = true;
            c.LingerMs = 2;
        }, b => b.SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { })))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (DateTime.UtcNow < deadline)
            {
                // A fault, then records while it lasts: a broker down, or the next Produce requests failing.
                var broker = random.Next(1, 4);
                if (random.Next(2) == 0)
                {
                    cluster.SetBrokerDown(broker);
                }
                else
                {
                    cluster.InjectRequestErrors(KafkaApiKey.Produce, Enumerable.Range(0, random.Next(1, 4)).Select(_ => ErrorCode.NotEnoughReplicas).ToArray());
                }

                for (var i = 0; i < 200; i++, written++)
                {
                    producer.Produce(topic, new Message<string, string> { Key = $"k{written % 97}", Value = $"v{written}" }, report =>
                    {
                        if (report.Error.IsError)
                        {
                            Interlocked.CompareExchange(ref firstFailure, $"{report.TopicPartition}: {report.Error.Code} {report.Error.Reason} (fatal: {report.Error.IsFatal})", null);
                        }

                        Interlocked.Increment(ref report.Error.IsError ? ref failed : ref acknowledged);
                    });
                    if (i % 20 == 0)
                    {
                        await Task.Delay(10, TestContext.Current.CancellationToken);
                    }
                }

                cluster.SetBrokerUp(broker);
            }

            cluster.ClearRequestErrors(KafkaApiKey.Produce);
            producer.Flush(TimeSpan.FromSeconds(60));
            Assert.Equal(written, acknowledged + failed);
        }

        using var consumer = KafkaClients.Consumer(cluster.BootstrapServers);
        consumer.Assign(KafkaClients.FromBeginning(topic, 4));
        var stored = KafkaClients.ConsumeToEnd(consumer, 4, TimeSpan.FromSeconds(30)).Select(r => r.Message.Value).ToList();
        Assert.True(failed == 0, $"{failed} of {written} records failed; the first: {firstFailure}");
        Assert.Equal(acknowledged, stored.Count);
        Assert.Equal(stored.Count, stored.Distinct().Count());
    }
}
