using Confluent.Kafka;
using Rivulet.Cli.Demo;
using Rivulet.Testing.Kafka;

namespace Rivulet.Cli.Chaos;

/// <summary>
/// Faults done to the embedded test broker at random moments (from the round's seed): one broker
/// taken down and brought back (its partitions' leaders move), and retriable errors injected into
/// the requests the exactly-once path depends on — as brokers answer during a rolling restart.
/// </summary>
internal sealed class BrokerChaos(KafkaTestCluster cluster, Random random, DemoConsole console) : IBrokerChaos
{
    private static readonly (KafkaApiKey Api, ErrorCode[] Errors)[] Injectable =
    [
        (KafkaApiKey.Produce, [ErrorCode.NotLeaderForPartition, ErrorCode.NotEnoughReplicas, ErrorCode.RequestTimedOut]),
        (KafkaApiKey.EndTxn, [ErrorCode.GroupCoordinatorNotAvailable, ErrorCode.NotCoordinatorForGroup, ErrorCode.ConcurrentTransactions, ErrorCode.GroupLoadInProgress]),
        (KafkaApiKey.TxnOffsetCommit, [ErrorCode.GroupLoadInProgress, ErrorCode.NotCoordinatorForGroup]),
        (KafkaApiKey.FindCoordinator, [ErrorCode.GroupCoordinatorNotAvailable]),
        (KafkaApiKey.AddPartitionsToTxn, [ErrorCode.ConcurrentTransactions, ErrorCode.GroupCoordinatorNotAvailable]),
    ];

    private TimeSpan? _nextBrokerFault;
    private TimeSpan? _nextInjection;
    private (int Broker, TimeSpan Until)? _down;
    private bool _ended;

    /// <summary>Brokers taken down so far.</summary>
    public int BrokerKills { get; private set; }

    /// <summary>Errors injected so far.</summary>
    public int InjectedErrors { get; private set; }

    public void Tick(TimeSpan now)
    {
        if (_ended)
        {
            return;
        }

        _nextBrokerFault ??= now + Seconds(2, 6);
        _nextInjection ??= now + Seconds(0.5, 3);
        if (_down is { } down && now >= down.Until)
        {
            cluster.SetBrokerUp(down.Broker);
            console.Event($"chaos: broker {down.Broker} up again");
            _down = null;
            _nextBrokerFault = now + Seconds(2, 6);
        }
        else if (_down is null && now >= _nextBrokerFault)
        {
            var broker = random.Next(1, cluster.BrokerCount + 1);
            var until = now + Seconds(0.5, 3);
            cluster.SetBrokerDown(broker);
            BrokerKills++;
            console.Event($"chaos: broker {broker} down for {(until - now).TotalSeconds:0.0} s");
            _down = (broker, until);
        }

        if (now >= _nextInjection)
        {
            var (api, errors) = Injectable[random.Next(Injectable.Length)];
            var injected = Enumerable.Range(0, random.Next(1, 4)).Select(_ => errors[random.Next(errors.Length)]).ToArray();
            cluster.InjectRequestErrors(api, injected);
            InjectedErrors += injected.Length;
            console.Event($"chaos: next {injected.Length} {api} request(s) fail with {string.Join(", ", injected)}");
            _nextInjection = now + Seconds(0.5, 3);
        }
    }

    public void End()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        if (_down is { } down)
        {
            cluster.SetBrokerUp(down.Broker);
            _down = null;
        }

        foreach (var (api, _) in Injectable)
        {
            cluster.ClearRequestErrors(api);
        }
    }

    private TimeSpan Seconds(double min, double max) => TimeSpan.FromSeconds(min + (random.NextDouble() * (max - min)));
}
