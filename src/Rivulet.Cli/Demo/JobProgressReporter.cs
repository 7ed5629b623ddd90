using System.Diagnostics.Metrics;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Source.Metrics;
using Rivulet.Core.Api;

namespace Rivulet.Cli.Demo;

/// <summary>
/// Inside the demo job process: writes a <see cref="JobProgress"/> line at a fixed period and as
/// soon as a checkpoint completed, from the job's own counters (checkpoints, restarts) and the
/// Kafka connector's metrics, which it listens to like any other System.Diagnostics.Metrics
/// consumer would. On a cluster the JobManager has the job's counters and the TaskManagers the
/// Kafka meters, so each reports what it has (zeros for the rest). Reporting checkpoints at once keeps the parent's count right when the process
/// is killed a moment later.
/// </summary>
internal sealed class JobProgressReporter : IAsyncDisposable
{
    private const string RecordsReadInstrument = "rivulet.kafka.source.records_read";
    private const string RecordsSentInstrument = "rivulet.kafka.sink.records_sent";
    private static readonly TimeSpan CheckpointWatchInterval = TimeSpan.FromMilliseconds(20);

    private readonly Func<JobClient?> _job;
    private readonly TextWriter _output;
    private readonly MeterListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _read;
    private long _sent;

    /// <param name="job">The job's client, where this process has one (null on a TaskManager, or before the job started).</param>
    /// <param name="output">Where the lines go.</param>
    /// <param name="interval">The period of the lines.</param>
    public JobProgressReporter(Func<JobClient?> job, TextWriter output, TimeSpan interval)
    {
        _job = job;
        _output = output;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if ((instrument.Meter.Name, instrument.Name) is (KafkaSourceMetrics.MeterName, RecordsReadInstrument) or (KafkaSinkMetrics.MeterName, RecordsSentInstrument))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == RecordsReadInstrument)
            {
                Interlocked.Add(ref _read, value);
            }
            else
            {
                Interlocked.Add(ref _sent, value);
            }
        });
        _listener.Start();
        _loop = ReportAsync(interval, _stop.Token);
    }

    public JobProgress Current => _job() is { } job
        ? new(job.Metrics.CheckpointsCompleted, job.LastCompletedCheckpoint?.CheckpointId, job.Metrics.Restarts, Interlocked.Read(ref _read), Interlocked.Read(ref _sent))
        : JobProgress.None with { RecordsRead = Interlocked.Read(ref _read), RecordsSent = Interlocked.Read(ref _sent) };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Write();
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task ReportAsync(TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval < CheckpointWatchInterval ? interval : CheckpointWatchInterval);
        var lastWritten = DateTime.MinValue;
        var lastCheckpoints = -1L;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var checkpoints = _job()?.Metrics.CheckpointsCompleted ?? 0;
                if (checkpoints != lastCheckpoints || DateTime.UtcNow - lastWritten >= interval)
                {
                    lastCheckpoints = checkpoints;
                    lastWritten = DateTime.UtcNow;
                    Write();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Write()
    {
        var line = Current.Format();
        lock (_output)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }
}
