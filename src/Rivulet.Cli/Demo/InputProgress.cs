namespace Rivulet.Cli.Demo;

/// <summary>
/// How far the job got through this run's input, as Kafka sees it: records in the input topic,
/// records the job's consumer group has committed (it commits when a checkpoint completes), and
/// the difference — the consumer lag.
/// </summary>
internal sealed record InputProgress(long Written, long Consumed)
{
    public long Lag => Math.Max(0, Written - Consumed);
}
