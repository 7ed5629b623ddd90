using System.Collections.Concurrent;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;

namespace Rivulet.Connectors.Kafka.Tests;

internal static class JobWait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, JobClient? job = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (job is { Completion.IsFaulted: true })
            {
                throw new InvalidOperationException($"The job failed while waiting for {what}", job.Completion.Exception);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    public static StreamExecutionEnvironment Checkpointed(int parallelism, int intervalMs = 100)
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(parallelism);
        env.EnableCheckpointing(intervalMs);
        env.CheckpointConfig.CheckpointDirectory = Directory.CreateTempSubdirectory("rivulet-kafka-test-").FullName;
        return env;
    }
}
