using Microsoft.Extensions.Logging;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Graph;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Operators;
using Rivulet.Core.State;

namespace Rivulet.Core.Runtime.Tasks;

/// <summary>
/// One run of the job graph: channels, one thread per subtask, the checkpoint coordinator. Ends
/// when every subtask finished, or at the first failure (then every subtask is cancelled).
/// </summary>
internal sealed class ExecutionAttempt
{
    private readonly JobSettings _settings;
    private readonly JobGraph _graph;
    private readonly int _attemptNumber;
    private readonly CancellationTokenSource _cancellation;
    private readonly CancellationToken _jobCancellation;
    private readonly List<BatchChannel> _channels = [];
    private readonly List<SubtaskRunner> _runners = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private readonly JobMetrics _metrics;
    private Exception? _failure;
    private int _finished;
    private int _inputEnded;
    private int _warnedAboutFinishedSource;

    public ExecutionAttempt(JobSettings settings, JobGraph graph, int attemptNumber, CompletedCheckpoint? restore, CheckpointStorage? storage,
        JobMetrics metrics, Action<CompletedCheckpoint> onCheckpointCompleted, CancellationToken jobCancellation)
    {
        _settings = settings;
        _graph = graph;
        _attemptNumber = attemptNumber;
        _metrics = metrics;
        _jobCancellation = jobCancellation;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(jobCancellation);
        _logger = settings.LoggerFactory.CreateLogger<ExecutionAttempt>();
        var restored = restore is null ? null : CheckpointStorage.ReadMetadata(restore.Directory);
        if (restored is not null)
        {
            CheckRestoreMatchesJob(restored);
        }

        BuildRunners(restore, restored);
        // Above anything in the directory: an earlier run's or a failed attempt's checkpoints are
        // never overwritten, and the newest checkpoint there is always this job's latest.
        var firstCheckpointId = Math.Max(restored?.CheckpointId ?? 0, storage?.HighestCheckpointId() ?? 0) + 1;
        if (storage is not null && settings.Checkpoints.IsEnabled)
        {
            Coordinator = new CheckpointCoordinator(settings.Checkpoints, storage, settings.JobName, _runners, graph, settings.MaxParallelism,
                firstCheckpointId, Fail, onCheckpointCompleted, metrics, settings.Clock, _logger);
        }
        else if (storage is not null)
        {
            // Savepoints work without periodic checkpoints.
            Coordinator = new CheckpointCoordinator(new CheckpointConfig(), storage, settings.JobName, _runners, graph, settings.MaxParallelism,
                firstCheckpointId, Fail, onCheckpointCompleted, metrics, settings.Clock, _logger);
        }
    }

    public CheckpointCoordinator? Coordinator { get; }

    public string CheckpointDirectoryFor(long checkpointId) =>
        Coordinator?.DirectoryFor(checkpointId) ?? throw new InvalidOperationException("Checkpointing is not enabled for this job.");

    /// <summary>Runs to the end; throws the first failure.</summary>
    public async Task RunAsync()
    {
        var threads = _runners.Select(runner =>
        {
            var thread = new Thread(runner.Run) { IsBackground = true, Name = runner.Name };
            thread.Start();
            return thread;
        }).ToList();
        // Runs without periodic checkpoints too: it times out savepoints.
        var coordinator = Coordinator?.RunAsync(_cancellation.Token) ?? Task.CompletedTask;

        try
        {
            // Subtasks cancelled from outside end without reporting; the job's token ends the wait.
            await _completion.Task.WaitAsync(_jobCancellation).ConfigureAwait(false);
        }
        finally
        {
            Coordinator?.Stop();
            await _cancellation.CancelAsync().ConfigureAwait(false);
            foreach (var channel in _channels)
            {
                channel.Close();
            }

            await Task.Run(() =>
            {
                foreach (var thread in threads)
                {
                    thread.Join();
                }
            }).ConfigureAwait(false);
            await coordinator.ConfigureAwait(false);
            _cancellation.Dispose();
        }
    }

    /// <summary>
    /// Whether the job ends with a final checkpoint once all input is processed: with checkpoints
    /// on, subtasks wait for it (and its completion) before they close.
    /// </summary>
    public bool TakesFinalCheckpoint => _settings.Checkpoints.IsEnabled && Coordinator is not null;

    /// <summary>
    /// <paramref name="runner"/> processed all of its input and passed the end on. Once every
    /// subtask did, the final checkpoint is taken. A source that ends while others go on stops
    /// periodic checkpoints (a barrier can no longer pass it).
    /// </summary>
    public void InputEnded(SubtaskRunner runner)
    {
        if (runner.IsSource)
        {
            if (_settings.Checkpoints.IsEnabled && Interlocked.CompareExchange(ref _warnedAboutFinishedSource, 1, 0) == 0 && _inputEnded + 1 < _runners.Count)
            {
                _logger.LogWarning(
                    "{Subtask} finished while the job goes on: no further periodic checkpoints are taken for job {Job} until it ends (as in Flink before 1.14), " +
                    "so offsets are no longer committed and transactional sinks commit only at the job's final checkpoint. Keep every source running, or end the job.",
                    runner.Name, _settings.JobName);
            }

            Coordinator?.StopPeriodic();
        }

        if (Interlocked.Increment(ref _inputEnded) == _runners.Count && TakesFinalCheckpoint)
        {
            Coordinator!.TriggerFinalCheckpoint();
        }
    }

    public void SubtaskFinished(SubtaskRunner runner)
    {
        if (Interlocked.Increment(ref _finished) == _runners.Count)
        {
            _completion.TrySetResult();
        }
    }

    public void Fail(Exception failure)
    {
        if (Interlocked.CompareExchange(ref _failure, failure, null) is null)
        {
            _logger.LogWarning("Job {Job} attempt {Attempt} failed: {Failure}", _settings.JobName, _attemptNumber, failure.Message);
            _cancellation.Cancel();
            foreach (var channel in _channels)
            {
                channel.Close();
            }

            _completion.TrySetException(failure);
        }
    }

    private void CheckRestoreMatchesJob(CheckpointMetadata restored)
    {
        var uids = _graph.Vertices.SelectMany(v => v.Chain).Select(n => n.EffectiveUid).ToHashSet(StringComparer.Ordinal);
        var unmatched = restored.Operators.Where(o => !uids.Contains(o.Uid)).ToList();
        if (unmatched.Count > 0 && !_settings.AllowNonRestoredState)
        {
            throw new InvalidOperationException(
                $"Checkpoint {restored.CheckpointId} holds state for operator(s) {string.Join(", ", unmatched.Select(o => $"'{o.Name}' (uid '{o.Uid}')"))} " +
                "that match no operator of this job — was a uid changed? Set the old uid with .Uid(...), or allow dropping that state " +
                "with SetStateRestorePath(path, allowNonRestoredState: true).");
        }
    }

    private void BuildRunners(CompletedCheckpoint? restore, CheckpointMetadata? restored)
    {
        var token = _cancellation.Token;
        var signals = _graph.Vertices.ToDictionary(v => v, v => Enumerable.Range(0, v.Parallelism).Select(_ => new SubtaskSignal()).ToArray());

        // channels[(edge, upstream subtask, downstream subtask)]
        var channels = new Dictionary<(StreamEdge, int, int), BatchChannel>();
        foreach (var vertex in _graph.Vertices)
        {
            foreach (var edge in vertex.Head.Inputs)
            {
                var upstream = _graph.VertexOf(edge.Source);
                var statistics = _metrics.Edge($"{edge.Source.Name} -> {edge.Target.Name}", _settings.ChannelCapacity);
                for (var u = 0; u < upstream.Parallelism; u++)
                {
                    for (var d = 0; d < vertex.Parallelism; d++)
                    {
                        if (edge.Kind == PartitionerKind.Forward && u != d)
                        {
                            continue;
                        }

                        var channel = new BatchChannel(_settings.ChannelCapacity, signals[vertex][d], statistics);
                        channels[(edge, u, d)] = channel;
                        _channels.Add(channel);
                    }
                }
            }
        }

        foreach (var vertex in _graph.Vertices)
        {
            for (var subtask = 0; subtask < vertex.Parallelism; subtask++)
            {
                SubtaskRunner? runner = null;
                var processingTime = new ProcessingTimeService(mail => runner!.Post(mail), _settings.Clock);
                var mailbox = new LateBoundMailbox(() => runner!);
                var operators = new StreamOperator[vertex.Chain.Count];
                object? output = null;
                object? tailOutput = null;
                IReadOnlyDictionary<string, IEventOutput> sideOutputs = new Dictionary<string, IEventOutput>();
                for (var i = vertex.Chain.Count - 1; i >= 0; i--)
                {
                    var node = vertex.Chain[i];
                    if (i == vertex.Chain.Count - 1)
                    {
                        IReadOnlyList<BatchChannel> Targets(StreamEdge edge)
                        {
                            var downstream = _graph.VertexOf(edge.Target);
                            return edge.Kind == PartitionerKind.Forward
                                ? [channels[(edge, subtask, subtask)]]
                                : [.. Enumerable.Range(0, downstream.Parallelism).Select(d => channels[(edge, subtask, d)])];
                        }

                        var writers = node.Outputs.Where(edge => edge.SideOutput is null)
                            .Select(edge => node.CreateRecordWriter(edge, Targets(edge), subtask, _settings.MaxParallelism, _settings.BatchSize, token))
                            .ToList();
                        output = writers.Count == 0 ? node.CreateDiscardingOutput() : node.CreateFanOut(writers);
                        // Side outputs are never chained (JobGraph), so only a chain's tail has them.
                        sideOutputs = node.Outputs.Where(edge => edge.SideOutput is not null)
                            .GroupBy(edge => edge.SideOutput!)
                            .ToDictionary(
                                g => g.Key.Id,
                                g => g.Key.CreateFanOut([.. g.Select(edge => g.Key.CreateRecordWriter(edge, Targets(edge), subtask, _settings.MaxParallelism, _settings.BatchSize, token))]));
                        if (sideOutputs.Count > 0)
                        {
                            output = node.CreateSideOutputCarrier(output, [.. sideOutputs.Values]);
                        }

                        tailOutput = output;
                    }
                    else
                    {
                        output = node.CreateChainingOutput(operators[i + 1]);
                    }

                    var op = node.CreateOperator(output!);
                    op.Context = CreateContext(node, vertex, subtask, restore, restored);
                    op.Context.ProcessingTime = processingTime;
                    op.Context.Mailbox = mailbox;
                    if (i == vertex.Chain.Count - 1)
                    {
                        op.Context.SideOutputs = sideOutputs;
                    }

                    operators[i] = op;
                }

                var inputs = vertex.Head.Inputs
                    .SelectMany(edge => Enumerable.Range(0, _graph.VertexOf(edge.Source).Parallelism)
                        .Where(u => channels.ContainsKey((edge, u, subtask)))
                        .Select(u => (channels[(edge, u, subtask)], edge.InputIndex)))
                    .ToList();
                runner = new SubtaskRunner(this, vertex, subtask, operators, vertex.Head.CreateBatchProcessor(operators[0]), vertex.Tail.CreateSubtaskOutput(tailOutput!), inputs,
                    signals[vertex][subtask], processingTime, _settings.BufferTimeout, token, _logger);
                _runners.Add(runner);
            }
        }
    }

    private OperatorContext CreateContext(StreamNode node, JobVertex vertex, int subtask, CompletedCheckpoint? restore, CheckpointMetadata? restored)
    {
        var context = new OperatorContext(_settings.JobName, node.Name, node.EffectiveUid, subtask, vertex.Parallelism, _settings.MaxParallelism,
            _attemptNumber, _settings.Checkpoints.IsEnabled, _settings.LoggerFactory)
        {
            AutoWatermarkInterval = _settings.AutoWatermarkInterval,
            TimeProvider = _settings.Clock,
            CancellationToken = _cancellation.Token,
            Metrics = _metrics,
            KeyedBackend = node.CreateKeyedBackend($"Operator '{node.Name}' (uid '{node.EffectiveUid}')", _settings.MaxParallelism,
                KeyGroupRange.ForSubtask(_settings.MaxParallelism, vertex.Parallelism, subtask)),
        };
        context.KeyedBackend?.UseClock(_settings.Clock);
        if (restored is not null && restore is not null)
        {
            context.RestoredCheckpointId = restored.CheckpointId;
            var old = restored.Operators.FirstOrDefault(o => o.Uid == node.EffectiveUid);
            if (old is not null)
            {
                OperatorSnapshotFile.Restore(context, restore.Directory, old);
            }
        }

        return context;
    }
}
