using Microsoft.Extensions.Logging;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Graph;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Operators;
using Rivulet.Core.State;

namespace Rivulet.Core.Runtime.Tasks;

/// <summary>
/// The subtasks of one attempt that run in this process, with their operator chains and the
/// channels between them: all of them in process, the ones placed here on a cluster (channels to
/// subtasks elsewhere come from <see cref="IRemoteChannels"/>). One thread per subtask.
/// </summary>
internal sealed class TaskDeployment
{
    private readonly JobSettings _settings;
    private readonly JobGraph _graph;
    private readonly int _attemptNumber;
    private readonly ISubtaskHost _host;
    private readonly JobMetrics _metrics;
    private readonly CancellationToken _cancellation;
    private readonly ILogger _logger;
    private readonly List<IOutputChannel> _channels = [];
    private readonly List<SubtaskRunner> _runners = [];
    private List<Thread> _threads = [];

    /// <param name="settings">The job's settings.</param>
    /// <param name="graph">The job graph.</param>
    /// <param name="attemptNumber">Which attempt this is (0 first).</param>
    /// <param name="restore">The checkpoint to restore, or null.</param>
    /// <param name="restored">That checkpoint's metadata, or null.</param>
    /// <param name="host">Where the subtasks report to.</param>
    /// <param name="isLocal">Whether subtask (vertex, index) runs in this process.</param>
    /// <param name="remote">Channels to and from subtasks elsewhere; null when every subtask is local.</param>
    /// <param name="metrics">The job's metrics.</param>
    /// <param name="cancellation">Cancels the subtasks.</param>
    public TaskDeployment(JobSettings settings, JobGraph graph, int attemptNumber, CompletedCheckpoint? restore, CheckpointMetadata? restored,
        ISubtaskHost host, Func<JobVertex, int, bool> isLocal, IRemoteChannels? remote, JobMetrics metrics, CancellationToken cancellation)
    {
        _settings = settings;
        _graph = graph;
        _attemptNumber = attemptNumber;
        _host = host;
        _metrics = metrics;
        _cancellation = cancellation;
        _logger = settings.LoggerFactory.CreateLogger<TaskDeployment>();
        Build(restore, restored, isLocal, remote);
    }

    public IReadOnlyList<SubtaskRunner> Runners => _runners;

    /// <summary>Starts one thread per subtask.</summary>
    public void Start() =>
        _threads = [.. _runners.Select(runner =>
        {
            var thread = new Thread(runner.Run) { IsBackground = true, Name = runner.Name };
            thread.Start();
            return thread;
        })];

    /// <summary>Unblocks every producer waiting on a full channel (the attempt is ending).</summary>
    public void CloseChannels()
    {
        foreach (var channel in _channels)
        {
            channel.Close();
        }
    }

    /// <summary>Waits for every subtask thread to end (after cancellation).</summary>
    public Task JoinAsync() => Task.Run(() =>
    {
        foreach (var thread in _threads)
        {
            thread.Join();
        }
    });

    private void Build(CompletedCheckpoint? restore, CheckpointMetadata? restored, Func<JobVertex, int, bool> isLocal, IRemoteChannels? remote)
    {
        var signals = _graph.Vertices.ToDictionary(v => v, v => Enumerable.Range(0, v.Parallelism).Select(_ => new SubtaskSignal()).ToArray());

        // [(edge, upstream subtask, downstream subtask)], for every pair with an end here: what a
        // local producer puts into, and what a local consumer takes from (the same channel when both are here).
        var outputs = new Dictionary<(StreamEdge, int, int), IOutputChannel>();
        var inputs = new Dictionary<(StreamEdge, int, int), BatchChannel>();
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

                        var (producerHere, consumerHere) = (isLocal(upstream, u), isLocal(vertex, d));
                        if (!producerHere && !consumerHere)
                        {
                            continue;
                        }

                        var network = producerHere && consumerHere ? null
                            : remote ?? throw new InvalidOperationException($"Subtask {(producerHere ? d : u) + 1} of an edge {edge} runs elsewhere, but this deployment has no remote channels.");
                        IOutputChannel channel;
                        if (consumerHere)
                        {
                            var input = network is null
                                ? new BatchChannel(_settings.ChannelCapacity, signals[vertex][d], statistics)
                                : network.Incoming(edge, u, d, signals[vertex][d], statistics);
                            inputs[(edge, u, d)] = input;
                            channel = input;
                        }
                        else
                        {
                            channel = network!.Outgoing(edge, u, d);
                        }

                        if (producerHere)
                        {
                            outputs[(edge, u, d)] = channel;
                        }

                        _channels.Add(channel);
                    }
                }
            }
        }

        foreach (var vertex in _graph.Vertices)
        {
            for (var subtask = 0; subtask < vertex.Parallelism; subtask++)
            {
                if (isLocal(vertex, subtask))
                {
                    _runners.Add(BuildRunner(vertex, subtask, outputs, inputs, signals[vertex][subtask], restore, restored));
                }
            }
        }
    }

    private SubtaskRunner BuildRunner(JobVertex vertex, int subtask, Dictionary<(StreamEdge, int, int), IOutputChannel> outputs,
        Dictionary<(StreamEdge, int, int), BatchChannel> inputs, SubtaskSignal signal,
        CompletedCheckpoint? restore, CheckpointMetadata? restored)
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
                IReadOnlyList<IOutputChannel> Targets(StreamEdge edge)
                {
                    var downstream = _graph.VertexOf(edge.Target);
                    return edge.Kind == PartitionerKind.Forward
                        ? [outputs[(edge, subtask, subtask)]]
                        : [.. Enumerable.Range(0, downstream.Parallelism).Select(d => outputs[(edge, subtask, d)])];
                }

                var writers = node.Outputs.Where(edge => edge.SideOutput is null)
                    .Select(edge => node.CreateRecordWriter(edge, Targets(edge), subtask, _settings.MaxParallelism, _settings.BatchSize, _cancellation))
                    .ToList();
                output = writers.Count == 0 ? node.CreateDiscardingOutput() : node.CreateFanOut(writers);
                // Side outputs are never chained (JobGraph), so only a chain's tail has them.
                sideOutputs = node.Outputs.Where(edge => edge.SideOutput is not null)
                    .GroupBy(edge => edge.SideOutput!)
                    .ToDictionary(
                        g => g.Key.Id,
                        g => g.Key.CreateFanOut([.. g.Select(edge => g.Key.CreateRecordWriter(edge, Targets(edge), subtask, _settings.MaxParallelism, _settings.BatchSize, _cancellation))]));
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

        var inputChannels = vertex.Head.Inputs
            .SelectMany(edge => Enumerable.Range(0, _graph.VertexOf(edge.Source).Parallelism)
                .Where(u => inputs.ContainsKey((edge, u, subtask)))
                .Select(u => (inputs[(edge, u, subtask)], edge.InputIndex)))
            .ToList();
        runner = new SubtaskRunner(_host, vertex, subtask, operators, vertex.Head.CreateBatchProcessor(operators[0]), vertex.Tail.CreateSubtaskOutput(tailOutput!), inputChannels,
            signal, processingTime, _settings.BufferTimeout, _cancellation, _logger);
        return runner;
    }

    private OperatorContext CreateContext(StreamNode node, JobVertex vertex, int subtask, CompletedCheckpoint? restore, CheckpointMetadata? restored)
    {
        var context = new OperatorContext(_settings.JobName, node.Name, node.EffectiveUid, subtask, vertex.Parallelism, _settings.MaxParallelism,
            _attemptNumber, _settings.Checkpoints.IsEnabled, _settings.LoggerFactory)
        {
            AutoWatermarkInterval = _settings.AutoWatermarkInterval,
            TimeProvider = _settings.Clock,
            CancellationToken = _cancellation,
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
