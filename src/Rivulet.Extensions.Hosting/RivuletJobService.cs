using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rivulet.Core.Api;
using Rivulet.Core.Checkpointing;

namespace Rivulet.Extensions.Hosting;

/// <summary>
/// Runs one job for the lifetime of the host. Start: define the job on an environment configured
/// from its options, restore the newest savepoint or checkpoint, start it. Host shutdown: stop with
/// a savepoint when configured, else cancel. The job ending on its own (failed for good, or a
/// bounded job finished) stops the host, with exit code 1 when it failed, so that whatever
/// supervises the process (systemd, Kubernetes) sees it.
/// </summary>
internal sealed class RivuletJobService(
    RivuletJob job,
    Action<RivuletJobContext> defineJob,
    IOptionsMonitor<RivuletJobOptions> options,
    IConfiguration configuration,
    IServiceProvider services,
    ILoggerFactory loggerFactory,
    IHostApplicationLifetime lifetime,
    TimeProvider clock) : IHostedService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Rivulet.Extensions.Hosting.RivuletJobService");
    private Task _watch = Task.CompletedTask;
    private volatile bool _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var name = job.Name;
        var settings = options.Get(name);
        var environment = StreamExecutionEnvironment.GetExecutionEnvironment(loggerFactory);
        Configure(environment, settings);
        try
        {
            defineJob(new RivuletJobContext(name, environment, settings, configuration.GetSection(RivuletJobOptions.KeyOf(name, nameof(RivuletJobOptions.Settings))), services));
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Job '{name}' could not be defined (its configuration section is {RivuletJobOptions.JobsSection}:{name}): {e.Message}", e);
        }

        var client = environment.Start(name);
        job.Started(client, clock.GetUtcNow());
        _logger.LogInformation("Job {Job} started", name);
        _watch = WatchAsync(client);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (job.Client is not { } client || client.Completion.IsCompleted)
        {
            await _watch.ConfigureAwait(false);
            return;
        }

        var settings = options.Get(job.Name);
        if (settings is { StopWithSavepoint: true, SavepointDirectory: { } root })
        {
            var path = SavepointDirectory.NewPath(root, job.Name, clock.GetUtcNow());
            try
            {
                job.ShutdownSavepoint = await client.StopWithSavepointAsync(path).WaitAsync(cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Job {Job} stopped with savepoint {CheckpointId} at {Path}", job.Name, job.ShutdownSavepoint.CheckpointId, path);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Job {Job}: the shutdown savepoint into {Path} failed ({Reason}); cancelling the job, which resumes from its latest checkpoint",
                    job.Name, path, e is OperationCanceledException ? "the host's shutdown timeout passed first" : e.Message);
            }
        }

        await client.CancelAsync().ConfigureAwait(false);
        await _watch.ConfigureAwait(false);
    }

    private void Configure(StreamExecutionEnvironment environment, RivuletJobOptions settings)
    {
        if (settings.Parallelism is { } parallelism)
        {
            environment.SetParallelism(parallelism);
        }

        if (settings.MaxParallelism is { } maxParallelism)
        {
            environment.SetMaxParallelism(maxParallelism);
        }

        if (settings.CheckpointInterval is { } interval)
        {
            environment.EnableCheckpointing(interval);
            environment.CheckpointConfig.CheckpointDirectory = settings.CheckpointDirectory;
        }

        var checkpoint = settings.CheckpointDirectory is { } checkpoints ? new CheckpointStorage(checkpoints).FindLatestCompleted(job.Name) : null;
        var savepoint = settings.SavepointDirectory is { } savepoints ? SavepointDirectory.Latest(savepoints, job.Name) : null;
        if (savepoint is { } newest && newest.CheckpointId > (checkpoint?.CheckpointId ?? 0))
        {
            _logger.LogInformation("Job {Job} restores savepoint {CheckpointId} from {Path}", job.Name, newest.CheckpointId, newest.Path);
            environment.SetStateRestorePath(newest.Path);
            job.RestoredFrom = new CompletedCheckpoint(newest.CheckpointId, newest.Path);
        }
        else
        {
            // A restarted process continues from its latest checkpoint (none on a first start).
            environment.SetResumeFromLatestCheckpoint();
            job.RestoredFrom = checkpoint;
        }
    }

    private async Task WatchAsync(JobClient client)
    {
        try
        {
            await client.Completion.ConfigureAwait(false);
            if (!_stopping)
            {
                _logger.LogInformation("Job {Job} finished; stopping the host", job.Name);
                lifetime.StopApplication();
            }
        }
        catch (Exception) when (_stopping)
        {
            // Cancelled by StopAsync: the end the host asked for.
        }
        catch (Exception e)
        {
            _logger.LogCritical(e, "Job {Job} failed for good; stopping the host with exit code 1", job.Name);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }
}
