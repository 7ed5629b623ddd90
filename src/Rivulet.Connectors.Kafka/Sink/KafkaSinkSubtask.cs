using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Testing;
using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Connectors.Kafka.Sink.Writer;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Recovery;

namespace Rivulet.Connectors.Kafka.Sink;

/// <summary>
/// One parallel instance of a Kafka sink, created when its subtask opens: its partitioner copy,
/// its writer (transactional or not) and the crash points tests stop it at. Everything here
/// belongs to this subtask alone; the configuration it reads is shared and immutable.
/// </summary>
internal sealed class KafkaSinkSubtask<T> : IDisposable
{
    private readonly KafkaSinkCheckpointState _state;
    private readonly IRuntimeContext _runtime;
    private readonly KafkaSinkMetrics _metrics;
    private readonly IKafkaSinkWriter<T> _writer;
    private readonly int _producerPoolSize;
    private readonly ISinkCrashPoints? _crashPoints;
    // Only with crash points (tests): the checkpoints whose transaction of this subtask holds records.
    private readonly HashSet<long> _checkpointsWithRecords = [];
    private bool _disposed;

    /// <exception cref="SuppressRestartsException">The client, the brokers or the recovery client refuse the settings, or a restored transaction is lost: a restart would meet them again.</exception>
    public KafkaSinkSubtask(KafkaProducerSettings<T> settings, KafkaSinkCheckpointState state, IRuntimeContext runtime)
    {
        _state = state;
        _runtime = runtime;
        var logger = runtime.LoggerFactory.CreateLogger($"Rivulet.Connectors.Kafka.Sink.KafkaProducer[{runtime.TaskNameWithSubtasks}]");
        var writerSettings = settings.Writer with
        {
            ClientProperties = KafkaProperties.ForClient(settings.Writer.ClientProperties, logger),
            TransactionalIdPrefix = settings.TransactionalIdPrefixFor(runtime),
        };
        _producerPoolSize = writerSettings.ProducerPoolSize;
        _crashPoints = writerSettings.CrashPoints;
        // A partitioner is opened with its subtask's index: every subtask needs its own copy.
        var partitioner = settings.Partitioner?.CopyForSubtask();
        partitioner?.Open(runtime.SubtaskIndex, runtime.NumberOfParallelSubtasks);
        if (writerSettings.Semantic == Semantic.ExactlyOnce && !runtime.IsCheckpointingEnabled)
        {
            logger.LogWarning("EXACTLY_ONCE without checkpointing: transactions are committed only when the input ends, and a failure replays everything.");
        }

        _metrics = new KafkaSinkMetrics(runtime.OperatorName, runtime.SubtaskIndex);
        try
        {
            _writer = writerSettings.Semantic == Semantic.ExactlyOnce
                ? TransactionalKafkaWriter<T>.Start(writerSettings, settings.Schema, partitioner, _metrics, logger, runtime.SubtaskIndex, runtime.NumberOfParallelSubtasks,
                    state.Restored, new Protocol.TransactionRecoveryClient(writerSettings.ClientProperties),
                    () => new ReadCommittedTransactionProbe(writerSettings.ClientProperties, logger), runtime.CancellationToken)
                : new NonTransactionalKafkaWriter<T>(writerSettings, settings.Schema, partitioner, _metrics, logger, runtime.CancellationToken);
        }
        catch (Exception e)
        {
            _metrics.Dispose();
            if (KafkaFailures.RestartCannotFix(e))
            {
                throw new SuppressRestartsException(e);
            }

            throw;
        }
    }

    public void Write(T value, long? timestamp) => _writer.Write(value, timestamp);

    /// <summary>Pre-commits (or flushes) what was written since the last checkpoint and puts the pending transactions into the checkpoint.</summary>
    public void SnapshotState(long checkpointId)
    {
        var subtask = _runtime.SubtaskIndex;
        _crashPoints?.Reached(SinkCrashPoint.BeforePreCommit, checkpointId, subtask);
        var pending = _writer.SnapshotState(checkpointId);
        _crashPoints?.Reached(SinkCrashPoint.AfterPreCommit, checkpointId, subtask);
        if (_crashPoints is not null && pending.Any(t => t.CheckpointId == checkpointId && t.RecordCount > 0))
        {
            _checkpointsWithRecords.Add(checkpointId);
        }

        _state.Update(pending, new SinkTopology(_runtime.NumberOfParallelSubtasks, _producerPoolSize));
    }

    /// <summary>Commits the transactions of the completed checkpoint (and earlier ones).</summary>
    public void NotifyCheckpointComplete(long checkpointId)
    {
        var subtask = _runtime.SubtaskIndex;
        _crashPoints?.Reached(SinkCrashPoint.AfterCheckpointBeforeCommit, checkpointId, subtask);
        if (_checkpointsWithRecords.Remove(checkpointId))
        {
            _crashPoints?.Reached(SinkCrashPoint.AfterCheckpointWithRecordsBeforeCommit, checkpointId, subtask);
        }

        if (subtask != 0)
        {
            _crashPoints?.Reached(SinkCrashPoint.DuringCommit, checkpointId, subtask);
        }

        if (!_disposed)
        {
            _writer.NotifyCheckpointComplete(checkpointId);
        }

        if (subtask == 0)
        {
            _crashPoints?.Reached(SinkCrashPoint.DuringCommit, checkpointId, subtask);
        }
    }

    /// <summary>
    /// The input ended. With checkpoints on, the job's final checkpoint follows and commits what is
    /// written (so a failure anywhere before it replays exactly once); without, it is committed now.
    /// </summary>
    public void EndInput()
    {
        if (_disposed)
        {
            return;
        }

        if (_runtime.IsCheckpointingEnabled)
        {
            _writer.FlushAtEndOfInput();
        }
        else
        {
            _writer.Finish();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer.Dispose();
        _metrics.Dispose();
    }
}
