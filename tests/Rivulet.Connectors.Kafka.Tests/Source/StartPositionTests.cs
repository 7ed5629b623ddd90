using Rivulet.Connectors.Kafka.Source.Initializer;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Source;

public sealed class StartPositionTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    private readonly string _topic = CreateTopic(broker);

    [Fact]
    public async Task Earliest_starts_at_the_first_record_and_ignores_group_offsets()
    {
        await TestInput.WriteAsync(broker.BootstrapServers, _topic, 0, Values(0, 10));
        var group = NewGroup();
        TestInput.Commit(broker.BootstrapServers, group, (P0, 6));
        using var harness = ReaderHarness<string>.Create(broker.BootstrapServers, TestInput.Strings, group);

        harness.Start(new EarliestOffsetsInitializer(), P0);

        Assert.Equal(Values(0, 10), harness.Read(10).Select(r => r.Element));
    }

    [Fact]
    public async Task Latest_reads_only_records_written_after_the_start()
    {
        await TestInput.WriteAsync(broker.BootstrapServers, _topic, 0, Values(0, 10));
        using var harness = ReaderHarness<string>.Create(broker.BootstrapServers, TestInput.Strings);
        harness.Start(new LatestOffsetsInitializer(), P0);

        await TestInput.WriteAsync(broker.BootstrapServers, _topic, 0, Values(10, 3));

        Assert.Equal(Values(10, 3), harness.Read(3).Select(r => r.Element));
        Assert.Equal(13, harness.Reader.Positions[P0]);
    }

    [Fact]
    public async Task Group_offsets_resume_where_the_group_committed()
    {
        await TestInput.WriteAsync(broker.BootstrapServers, _topic, 0, Values(0, 10));
        var group = NewGroup();
        TestInput.Commit(broker.BootstrapServers, group, (P0, 4));
        using var harness = ReaderHarness<string>.Create(broker.BootstrapServers, TestInput.Strings, group);

        harness.Start(new GroupOffsetsInitializer(), P0);

        Assert.Equal(Values(4, 6), harness.Read(6).Select(r => r.Element));
    }

    [Theory]
    [InlineData("earliest", 0)]
    [InlineData("smallest", 0)]
    [InlineData("latest", 5)]
    public async Task Group_offsets_fall_back_to_auto_offset_reset(string reset, int firstValue)
    {
        await TestInput.WriteAsync(broker.BootstrapServers, _topic, 0, Values(0, 5));
        using var harness = ReaderHarness<string>.Create(broker.BootstrapServers, TestInput.Strings, NewGroup(), new() { ["auto.offset.reset"] = reset });
        harness.Start(new GroupOffsetsInitializer(), P0);
        await TestInput.WriteAsync(broker.BootstrapServers, _topic, 0, Values(5, 2));

        Assert.Equal(Values(firstValue, 7 - firstValue), harness.Read(7 - firstValue).Select(r => r.Element));
    }

    [Fact]
    public void Group_offsets_without_a_group_id_fail_naming_the_setting()
    {
        using var harness = ReaderHarness<string>.Create(broker.BootstrapServers, TestInput.Strings, groupId: null);
        var error = Assert.Throws<InvalidOperationException>(() => harness.Start(new GroupOffsetsInitializer(), P0));
        Assert.Contains("group.id", error.Message);
    }

    [Fact]
    public void Group_offsets_with_auto_offset_reset_error_and_no_commit_fail_naming_the_partition()
    {
        using var harness = ReaderHarness<string>.Create(broker.BootstrapServers, TestInput.Strings, NewGroup(), new() { ["auto.offset.reset"] = "error" });
        var error = Assert.Throws<InvalidOperationException>(() => harness.Start(new GroupOffsetsInitializer(), P0));
        Assert.Contains($"{_topic}-0", error.Message);
        Assert.Contains("auto.offset.reset", error.Message);
    }

    [Fact]
    public async Task Specific_offsets_start_there_and_unlisted_partitions_use_the_group_offsets()
    {
        await TestInput.WriteAsync(broker.BootstrapServers, _topic, 0, Values(0, 10));
        await TestInput.WriteAsync(broker.BootstrapServers, _topic, 1, Values(100, 10));
        var group = NewGroup();
        TestInput.Commit(broker.BootstrapServers, group, (P0, 1), (P1, 7));
        using var harness = ReaderHarness<string>.Create(broker.BootstrapServers, TestInput.Strings, group);

        harness.Start(new SpecificOffsetsInitializer(new Dictionary<KafkaTopicPartition, long> { [P0] = 8 }), P0, P1);

        var read = harness.Read(5);
        Assert.Equal(Values(8, 2), read.Where(r => r.Partition == P0).Select(r => r.Element));
        Assert.Equal(Values(107, 3), read.Where(r => r.Partition == P1).Select(r => r.Element));
    }

    [Fact]
    public async Task Timestamp_starts_at_the_first_record_at_or_after_it_and_at_the_end_where_there_is_none()
    {
        // Partition 0: v0..v9 at 1000, 2000, … 10000 ms; partition 1: v100..v104 at 1..5 ms only.
        await TestInput.WriteAsync(broker.BootstrapServers, _topic, 0, Values(0, 10), i => (i + 1) * 1_000L);
        await TestInput.WriteAsync(broker.BootstrapServers, _topic, 1, Values(100, 5), i => i + 1L);
        using var harness = ReaderHarness<string>.Create(broker.BootstrapServers, TestInput.Strings);

        harness.Start(new TimestampOffsetsInitializer(5_500), P0, P1);
        Assert.Equal(5, harness.Reader.Positions[P1]);
        await TestInput.WriteAsync(broker.BootstrapServers, _topic, 1, Values(105, 2), i => 20_000L + i);

        var read = harness.Read(7);
        Assert.Equal(Values(5, 5), read.Where(r => r.Partition == P0).Select(r => r.Element));
        Assert.Equal(Values(105, 2), read.Where(r => r.Partition == P1).Select(r => r.Element));
    }

    private KafkaTopicPartition P0 => new(_topic, 0);

    private KafkaTopicPartition P1 => new(_topic, 1);

    private static string NewGroup() => "g-" + Guid.NewGuid().ToString("N");

    private static IEnumerable<string> Values(int from, int count) => Enumerable.Range(from, count).Select(i => $"v{i}");

    private static string CreateTopic(KafkaTestClusterFixture broker)
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("start");
        broker.Cluster.CreateTopic(topic, partitions: 2);
        return topic;
    }
}
