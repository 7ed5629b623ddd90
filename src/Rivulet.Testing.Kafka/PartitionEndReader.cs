using Confluent.Kafka;

namespace Rivulet.Testing.Kafka;

/// <summary>Reads what a topic holds now: everything up to the end of every assigned partition.</summary>
public static class PartitionEndReader
{
    /// <summary>
    /// Polls <paramref name="consumer"/> (assigned, with <c>enable.partition.eof</c> on) until each
    /// of its <paramref name="partitionCount"/> partitions reported its end, handing every record
    /// to <paramref name="onRecord"/>. A record after an end report reopens that partition.
    /// </summary>
    /// <exception cref="TimeoutException">Not every partition reached its end within <paramref name="deadline"/> (a read_committed reader stops at an open transaction).</exception>
    public static void ReadToEnd<TKey, TValue>(IConsumer<TKey, TValue> consumer, int partitionCount, TimeSpan deadline, Action<ConsumeResult<TKey, TValue>> onRecord)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(onRecord);
        var atEnd = new HashSet<int>();
        var until = DateTime.UtcNow + deadline;
        while (atEnd.Count < partitionCount)
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Only {atEnd.Count} of {partitionCount} partitions reached their end within {deadline.TotalSeconds:0.#} s.");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.Partition.Value);
            }
            else
            {
                atEnd.Remove(result.Partition.Value);
                onRecord(result);
            }
        }
    }
}
