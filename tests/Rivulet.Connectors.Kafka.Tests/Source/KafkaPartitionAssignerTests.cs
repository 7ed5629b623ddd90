using Rivulet.Connectors.Kafka.Source;

namespace Rivulet.Connectors.Kafka.Tests.Source;

public sealed class KafkaPartitionAssignerTests
{
    // Expected values computed independently (Python) from Java's definition:
    // s[0]*31^(n-1) + ... + s[n-1], wrapping at 32 bits.
    [Theory]
    [InlineData("flink001", 1850028241)]
    [InlineData("", 0)]
    [InlineData("a", 97)]
    [InlineData("topic", 110546223)]
    [InlineData("rivulet-demo-input", 507822856)]
    public void Topic_hash_is_Javas_String_hashCode(string topic, int expected) =>
        Assert.Equal(expected, KafkaPartitionAssigner.JavaStringHashCode(topic));

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 4)]
    [InlineData(3, 4)]
    [InlineData(4, 4)]
    [InlineData(5, 4)]
    [InlineData(3, 10)]
    public void Each_partition_goes_to_exactly_one_subtask_and_the_load_is_balanced(int parallelism, int partitions)
    {
        var perSubtask = new int[parallelism];
        foreach (var p in Enumerable.Range(0, partitions))
        {
            var owners = Enumerable.Range(0, parallelism)
                .Where(s => KafkaPartitionAssigner.IsAssignedTo(new KafkaTopicPartition("orders", p), s, parallelism))
                .ToList();
            perSubtask[Assert.Single(owners)]++;
        }

        Assert.True(perSubtask.Max() - perSubtask.Min() <= 1, $"unbalanced: [{string.Join(", ", perSubtask)}]");
        if (parallelism > partitions)
        {
            Assert.Equal(parallelism - partitions, perSubtask.Count(n => n == 0));
        }
    }

    [Fact]
    public void Consecutive_partitions_of_a_topic_go_round_robin_from_a_topic_specific_start()
    {
        var first = KafkaPartitionAssigner.Assign(new KafkaTopicPartition("orders", 0), 3);
        Assert.Equal((first + 1) % 3, KafkaPartitionAssigner.Assign(new KafkaTopicPartition("orders", 1), 3));
        Assert.Equal((first + 2) % 3, KafkaPartitionAssigner.Assign(new KafkaTopicPartition("orders", 2), 3));
        Assert.Equal(first, KafkaPartitionAssigner.Assign(new KafkaTopicPartition("orders", 3), 3));
        var startIndex = (int)((uint)(KafkaPartitionAssigner.JavaStringHashCode("orders") * 31) & 0x7FFFFFFF) % 3;
        Assert.Equal(startIndex, first);
    }

    [Fact]
    public void Bad_parallelism_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KafkaPartitionAssigner.Assign(new KafkaTopicPartition("t", 0), 0));
    }
}
