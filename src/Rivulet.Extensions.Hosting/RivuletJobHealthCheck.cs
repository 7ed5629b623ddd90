using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Rivulet.Extensions.Hosting;

/// <summary>
/// Healthy while the job runs and checkpoints on time; unhealthy before it started, after it ended,
/// or when its last checkpoint is older than <see cref="RivuletJobOptions.MaxCheckpointAge"/> (a job
/// stuck in restarts, backpressure or failing checkpoints shows here before its lag does).
/// </summary>
internal sealed class RivuletJobHealthCheck(RivuletJob job, IOptionsMonitor<RivuletJobOptions> options, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        if (job.Client is not { } client || job.StartedAt is not { } startedAt)
        {
            return HealthCheckResult.Unhealthy($"Job {job.Name} has not started.");
        }

        var metrics = client.Metrics;
        var data = new Dictionary<string, object>
        {
            ["restarts"] = metrics.Restarts,
            ["checkpointsCompleted"] = metrics.CheckpointsCompleted,
            ["checkpointsFailed"] = metrics.CheckpointsFailed,
        };
        if (client.LastCompletedCheckpoint is { } latest)
        {
            data["lastCheckpointId"] = latest.CheckpointId;
        }

        if (client.Completion.IsCompleted)
        {
            return client.Completion.IsFaulted
                ? HealthCheckResult.Unhealthy($"Job {job.Name} failed: {client.Completion.Exception?.InnerException?.Message}", client.Completion.Exception?.InnerException, data)
                : HealthCheckResult.Unhealthy($"Job {job.Name} is no longer running.", data: data);
        }

        var now = clock.GetUtcNow();
        var since = metrics.LastCheckpointCompletedAt ?? startedAt;
        var age = now - since;
        data["lastCheckpointAgeSeconds"] = Math.Round(age.TotalSeconds, 1);
        if (options.Get(job.Name).EffectiveMaxCheckpointAge is { } limit && age > limit)
        {
            var what = metrics.LastCheckpointCompletedAt is null ? "no checkpoint completed since it started" : "its last checkpoint completed";
            return HealthCheckResult.Unhealthy(
                $"Job {job.Name}: {what} {age.TotalSeconds:0} s ago, more than {RivuletJobOptions.KeyOf(job.Name, nameof(RivuletJobOptions.MaxCheckpointAge))} ({limit.TotalSeconds:0} s).",
                data: data);
        }

        return HealthCheckResult.Healthy($"Job {job.Name} is running.", data);
    }
}
