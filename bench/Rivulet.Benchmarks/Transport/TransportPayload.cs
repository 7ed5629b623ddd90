using Rivulet.Benchmarks.Cluster;
using Rivulet.Benchmarks.Engine;
using Rivulet.Core.Runtime.IO;

namespace Rivulet.Benchmarks.Transport;

/// <summary>
/// What every transport moves: record batches of readings as the cluster's keyed channel carries
/// them (512 per batch, encoded by the channel codec with the registered serializer), and what the
/// receiving side checks before a time counts (every record arrived, values summing up).
/// </summary>
internal sealed class TransportPayload(long records, int keys)
{
    public const int BatchSize = 512;

    public long Records => records;

    public ChannelCodec Codec { get; } = new ChannelCodec<Reading>(new ReadingSerializer());

    /// <summary>The sum of every reading's value, which the receiver must arrive at.</summary>
    public long ExpectedSum { get; } = Enumerable.Range(0, 256).Sum(v => (long)v) * (records / 256) + SumOfFirst(records % 256);

    public IEnumerable<RecordBatch<Reading>> Batches()
    {
        var batch = new RecordBatch<Reading>(BatchSize);
        for (long sequence = 0; sequence < records; sequence++)
        {
            batch.Add(Reading.From(sequence, keys), RecordBatch<Reading>.NoTimestamp);
            if (batch.IsFull)
            {
                yield return batch;
                batch = new RecordBatch<Reading>(BatchSize);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>Fails unless exactly the payload arrived.</summary>
    public void Verify(string transport, long received, long sum)
    {
        if (received != records || sum != ExpectedSum)
        {
            throw new InvalidOperationException($"{transport}: {received:N0} of {records:N0} records arrived, values summing to {sum} instead of {ExpectedSum}");
        }
    }

    /// <summary>Adds a received item's records to the tally.</summary>
    public static void Tally(object item, ref long received, ref long sum)
    {
        if (item is RecordBatch<Reading> batch)
        {
            received += batch.Count;
            for (var i = 0; i < batch.Count; i++)
            {
                sum += batch.Values[i].Value;
            }
        }
    }

    private static long SumOfFirst(long count) => count * (count - 1) / 2;
}
