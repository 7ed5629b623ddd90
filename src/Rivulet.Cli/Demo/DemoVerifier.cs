using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Rivulet.Cli.Demo;

/// <summary>
/// Reads the demo's output as a <c>read_committed</c> consumer sees it and checks it: each input
/// index exactly once, and per key the counts 1, 2, …, n in order. It can follow the output
/// while the job runs (<see cref="Poll"/>, for progress) or read it to the end once the job
/// stopped (<see cref="ReadToEnd"/>, for the verdict).
/// </summary>
internal sealed class DemoVerifier : IDisposable
{
    private const int MaxRecordsPerPoll = 10_000;

    private readonly string _bootstrapServers;
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly List<TopicPartition> _partitions;
    private readonly Dictionary<long, int> _seen = [];
    private readonly Dictionary<string, List<long>> _countsByKey = new(StringComparer.Ordinal);
    private readonly HashSet<int> _atEnd = [];
    private long _records;
    private long _distinct;
    private long _unexpected;

    /// <param name="bootstrapServers">The cluster.</param>
    /// <param name="topic">The output topic.</param>
    /// <param name="startOffsets">Where this run's output begins, per partition (the end offsets before the run).</param>
    /// <param name="expected">N: the input indexes are 0 … N-1.</param>
    public DemoVerifier(string bootstrapServers, string topic, IReadOnlyDictionary<int, long> startOffsets, long expected)
    {
        _bootstrapServers = bootstrapServers;
        Expected = expected;
        _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "rivulet-demo-verifier-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        _partitions = [.. startOffsets.Keys.Order().Select(p => new TopicPartition(topic, p))];
        _consumer.Assign(_partitions.Select(tp => new TopicPartitionOffset(tp, startOffsets[tp.Partition.Value])));
    }

    public long Expected { get; }

    /// <summary>Committed output records read so far.</summary>
    public long RecordsRead => Interlocked.Read(ref _records);

    /// <summary>Distinct input indexes among them.</summary>
    public long Distinct => Interlocked.Read(ref _distinct);

    /// <summary>Reads the whole output topic, from the beginning to its last stable offsets, and checks it.</summary>
    public static DemoVerdict Verify(string bootstrapServers, string outputTopic, int partitions, long expected, TimeSpan timeout)
    {
        using var verifier = new DemoVerifier(bootstrapServers, outputTopic, Enumerable.Range(0, partitions).ToDictionary(p => p, _ => (long)Offset.Beginning.Value), expected);
        verifier.ReadToEnd(timeout);
        return verifier.Verdict();
    }

    /// <summary>Reads what is committed now: waits up to <paramref name="maxWait"/> for the first record.</summary>
    public void Poll(TimeSpan maxWait)
    {
        var wait = maxWait;
        for (var i = 0; i < MaxRecordsPerPoll && ReadOne(wait); i++)
        {
            wait = TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Reads until every partition is at its last stable offset (use once the job stopped);
    /// false when <paramref name="timeout"/> passed first.
    /// </summary>
    public bool ReadToEnd(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_atEnd.Count < _partitions.Count)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            ReadOne(TimeSpan.FromMilliseconds(200));
        }

        return true;
    }

    /// <summary>The verdict on what was read so far.</summary>
    public DemoVerdict Verdict()
    {
        var missing = 0L;
        for (var i = 0L; i < Expected; i++)
        {
            if (!_seen.ContainsKey(i))
            {
                missing++;
            }
        }

        return new DemoVerdict
        {
            Expected = Expected,
            RecordsOut = RecordsRead,
            Distinct = Distinct,
            Duplicates = _seen.Values.Sum(n => (long)(n - 1)),
            Missing = missing,
            Unexpected = Interlocked.Read(ref _unexpected),
            KeysWithWrongCounts = _countsByKey.Values.LongCount(counts => !counts.Select((count, i) => count == i + 1).All(ok => ok)),
            PartitionsWithOpenTransactions = CountOpenTransactions(),
        };
    }

    public void Dispose() => _consumer.Dispose();

    private bool ReadOne(TimeSpan wait)
    {
        var result = _consumer.Consume(wait);
        if (result is null)
        {
            return false;
        }

        if (result.IsPartitionEOF)
        {
            _atEnd.Add(result.Partition.Value);
            return false;
        }

        _atEnd.Remove(result.Partition.Value);
        Interlocked.Increment(ref _records);
        if (!TryParse(result.Message, out var key, out var index, out var count) || index < 0 || index >= Expected)
        {
            Interlocked.Increment(ref _unexpected);
            return true;
        }

        var times = _seen.GetValueOrDefault(index) + 1;
        _seen[index] = times;
        if (times == 1)
        {
            Interlocked.Increment(ref _distinct);
        }

        if (!_countsByKey.TryGetValue(key, out var counts))
        {
            _countsByKey[key] = counts = [];
        }

        counts.Add(count);
        return true;
    }

    private static bool TryParse(Message<byte[], byte[]> message, out string key, out long index, out long count)
    {
        key = message.Key is null ? string.Empty : Encoding.UTF8.GetString(message.Key);
        index = count = 0;
        var value = message.Value is null ? [] : Encoding.UTF8.GetString(message.Value).Split(':');
        return value.Length == 2
               && long.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out index)
               && long.TryParse(value[1], NumberStyles.None, CultureInfo.InvariantCulture, out count);
    }

    /// <summary>
    /// Partitions whose last stable offset is behind the log end: a transaction is still open there.
    /// Asked again while brokers are briefly unreachable (a leader moving), as the job itself would.
    /// </summary>
    private int CountOpenTransactions()
    {
        using var uncommitted = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = _bootstrapServers,
            GroupId = "rivulet-demo-verifier-hw",
            IsolationLevel = IsolationLevel.ReadUncommitted,
        }).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                return _partitions.Count(tp =>
                    _consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value < uncommitted.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value);
            }
            catch (KafkaException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }
}
