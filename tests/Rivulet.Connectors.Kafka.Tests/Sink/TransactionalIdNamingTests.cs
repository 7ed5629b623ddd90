using Rivulet.Connectors.Kafka.Sink.Transactions;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

public sealed class TransactionalIdNamingTests
{
    [Fact]
    public void Ids_are_the_prefix_then_subtask_then_slot_and_stay_the_same_for_a_subtask()
    {
        Assert.Equal("job-uid-3-1", TransactionalIdNaming.For("job-uid", 3, 1));
        Assert.Equal(TransactionalIdNaming.For("job-uid", 3, 1), TransactionalIdNaming.For("job-uid", 3, 1));
    }

    [Fact]
    public void Different_prefixes_never_produce_the_same_id()
    {
        // Prefixes that look like ids of one another are the risky ones.
        string[] prefixes = ["p", "p-0", "p-0-0", "p-1", "p0", "p-", "-p", "p-10", "p-1-0"];
        var owners = new Dictionary<string, string>();
        foreach (var prefix in prefixes)
        {
            for (var subtask = 0; subtask < 12; subtask++)
            {
                for (var slot = 0; slot < 12; slot++)
                {
                    var id = TransactionalIdNaming.For(prefix, subtask, slot);
                    Assert.True(owners.TryAdd(id, prefix), $"'{id}' of prefix '{prefix}' is also an id of prefix '{owners.GetValueOrDefault(id)}'");
                }
            }
        }
    }

    [Fact]
    public void The_default_prefix_is_job_name_and_operator_uid()
    {
        Assert.Equal("orders-job-kafka-sink", TransactionalIdNaming.DefaultPrefix("orders-job", "kafka-sink"));
        Assert.Equal("orders_job-3-Sink_out_", TransactionalIdNaming.DefaultPrefix("orders job", "3-Sink(out)"));
        Assert.NotEqual(TransactionalIdNaming.DefaultPrefix("job-a", "sink"), TransactionalIdNaming.DefaultPrefix("job-b", "sink"));
    }

    [Theory]
    [InlineData(0, 2, 5, new[] { 0, 2, 4 })]
    [InlineData(1, 2, 5, new[] { 1, 3 })]
    [InlineData(0, 3, 3, new[] { 0 })]
    [InlineData(2, 4, 2, new[] { 2 })]
    public void After_a_scale_down_each_subtask_also_owns_the_ids_of_removed_subtasks(int subtask, int parallelism, int previousParallelism, int[] owned)
    {
        Assert.Equal(owned, TransactionalIdNaming.OwnedSubtasks(subtask, parallelism, previousParallelism));
    }
}
