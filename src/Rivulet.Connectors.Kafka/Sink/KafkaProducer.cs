using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Sink.Testing;
using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Connectors.Kafka.Sink.Writer;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Recovery;
using Rivulet.Core.Serialization;
using Rivulet.Core.State;

namespace Rivulet.Connectors.Kafka.Sink;

/// <summary>
/// Writes a stream to Kafka — Rivulet's counterpart of Flink's <c>FlinkKafkaProducer</c>, with
/// the semantics <see cref="Semantic.None"/>, <see cref="Semantic.AtLeastOnce"/> (default) and
/// <see cref="Semantic.ExactlyOnce"/> (Kafka transactions committed with checkpoints, recovered
/// after a crash).
/// </summary>
public sealed class KafkaProducer<T> : ISinkFunction<T>, IRichFunction, ICheckpointedFunction, ICheckpointListener, IBoundedInput, IDisposable
{
    private static readonly ListStateDescriptor<PendingTransaction> PendingState = new("pending-transactions");
    private static readonly ListStateDescriptor<SinkTopology> TopologyState = new("sink-topology");

    private readonly string? _defaultTopic;
    private readonly IKafkaSerializationSchema<T> _schema;
    private readonly Dictionary<string, string> _properties;
    private readonly Semantic _semantic;
    private KafkaPartitioner<T>? _partitioner;
    private bool _logFailuresOnly;
    private bool _flushOnCheckpoint = true;
    private bool _writeTimestampToKafka;
    private string? _transactionalIdPrefix;
    private int _producerPoolSize = 5;
    private bool _ignoreLostTransactions;
    private int _safeScaleDownFactor = 5;
    private Func<IReadOnlyDictionary<string, string>, ITransactionCommitter>? _committerFactory;
    private ISinkCrashPoints? _crashPoints;
    // Only with crash points (tests): the checkpoints whose transaction of this subtask holds records
    // (a set per subtask, made in InitializeState: subtasks share a shallow copy of this object).
    private HashSet<long> _checkpointsWithRecords = [];

    // Per parallel instance.
    private IListState<PendingTransaction>? _pendingState;
    private IListState<SinkTopology>? _topologyState;
    private RestoredSinkState? _restored;
    private IKafkaSinkWriter<T>? _writer;
    private KafkaSinkMetrics? _metrics;
    private IRuntimeContext? _context;

    /// <summary>The seeds' simplest form: broker list, topic, value schema; fixed partitioner, AT_LEAST_ONCE.</summary>
    public KafkaProducer(string brokerList, string topicId, ISerializationSchema<T> schema)
        : this(topicId, schema, new Dictionary<string, string> { ["bootstrap.servers"] = brokerList })
    {
    }

    /// <summary>Properties + topic + value schema; the fixed partitioner; the given semantic.</summary>
    public KafkaProducer(string topicId, ISerializationSchema<T> schema, IReadOnlyDictionary<string, string> properties, Semantic semantic = Semantic.AtLeastOnce)
        : this(topicId, new ValueOnlySerializationSchema<T>(schema), properties, new FixedPartitioner<T>(), semantic)
    {
    }

    /// <summary>
    /// With a custom partitioner — or <c>null</c> to leave partitioning to Kafka's key hashing
    /// (murmur2, like the Java client). To keep the default fixed partitioner, use another constructor.
    /// </summary>
    public KafkaProducer(string topicId, ISerializationSchema<T> schema, IReadOnlyDictionary<string, string> properties, KafkaPartitioner<T>? customPartitioner, Semantic semantic = Semantic.AtLeastOnce)
        : this(topicId, new ValueOnlySerializationSchema<T>(schema), properties, customPartitioner, semantic)
    {
    }

    /// <summary>A keyed schema that may choose key, topic, partition, headers and timestamp per record; no partitioner (Kafka's key hashing).</summary>
    public KafkaProducer(string defaultTopicId, IKafkaSerializationSchema<T> schema, IReadOnlyDictionary<string, string> properties, Semantic semantic = Semantic.AtLeastOnce)
        : this(defaultTopicId, schema, properties, null, semantic)
    {
    }

    /// <summary>
    /// The general form (Flink's <c>FlinkKafkaProducer(defaultTopic, KafkaSerializationSchema, Properties, Semantic)</c>): a keyed
    /// schema, the topic for records whose schema sets none (null when the schema always sets one, else
    /// writing such a record fails), a custom partitioner or <c>null</c> for Kafka's key hashing, and the semantic.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> or <paramref name="properties"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="properties"/> lacks <c>bootstrap.servers</c>, or sets a <c>transaction.timeout.ms</c> that is not a positive number with <see cref="Semantic.ExactlyOnce"/>.</exception>
    public KafkaProducer(string? defaultTopicId, IKafkaSerializationSchema<T> schema, IReadOnlyDictionary<string, string> properties, KafkaPartitioner<T>? customPartitioner, Semantic semantic)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(properties);
        KafkaProperties.Required(properties, "bootstrap.servers", "KafkaProducer");
        _defaultTopic = defaultTopicId;
        _schema = schema;
        _partitioner = customPartitioner;
        _properties = new Dictionary<string, string>(properties, StringComparer.Ordinal);
        _semantic = semantic;
        if (semantic == Semantic.ExactlyOnce && _properties.TryGetValue("transaction.timeout.ms", out var timeout)
            && (!int.TryParse(timeout, out var ms) || ms <= 0))
        {
            throw new ArgumentException($"KafkaProducer: 'transaction.timeout.ms' must be a positive number of milliseconds, not '{timeout}'.", nameof(properties));
        }
    }

    /// <summary>Log and count delivery failures instead of failing the job (AT_LEAST_ONCE then loses them — use with care).</summary>
    public KafkaProducer<T> SetLogFailuresOnly(bool logFailuresOnly)
    {
        _logFailuresOnly = logFailuresOnly;
        return this;
    }

    /// <summary>AT_LEAST_ONCE: wait at each checkpoint until every sent record is acknowledged (default true).</summary>
    public KafkaProducer<T> SetFlushOnCheckpoint(bool flush)
    {
        _flushOnCheckpoint = flush;
        return this;
    }

    /// <summary>Write each element's timestamp as the Kafka record timestamp.</summary>
    public KafkaProducer<T> SetWriteTimestampToKafka(bool write)
    {
        _writeTimestampToKafka = write;
        return this;
    }

    /// <summary>Prefix of the transactional ids (default: job name and operator uid).</summary>
    public KafkaProducer<T> SetTransactionalIdPrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        _transactionalIdPrefix = prefix;
        return this;
    }

    /// <summary>Transactional producers per subtask for EXACTLY_ONCE (default 5).</summary>
    public KafkaProducer<T> SetProducerPoolSize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        _producerPoolSize = size;
        return this;
    }

    /// <summary>
    /// After a restore, go on when a transaction of the restored checkpoint turns out lost (the
    /// brokers aborted it, typically because the job was down longer than <c>transaction.timeout.ms</c>):
    /// the loss is logged as an error and counted (<c>rivulet.kafka.sink.transactions_lost</c>)
    /// instead of failing the job. Flink's <c>ignoreFailuresAfterTransactionTimeout()</c>; off by default.
    /// </summary>
    public KafkaProducer<T> IgnoreFailuresAfterTransactionTimeout()
    {
        _ignoreLostTransactions = true;
        return this;
    }

    /// <summary>
    /// How far beyond its parallelism an exactly-once sink fences transactional ids at start
    /// (default 5, Flink's SAFE_SCALE_DOWN_FACTOR): a run at up to this many times the parallelism
    /// that died before its first checkpoint leaves no transaction open behind it. 1 fences only the
    /// subtasks the checkpoint and this run know.
    /// </summary>
    public KafkaProducer<T> SetSafeScaleDownFactor(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        _safeScaleDownFactor = factor;
        return this;
    }

    /// <summary>Where crash tests stop this sink (internal: nothing a shipped job configures reaches it).</summary>
    internal KafkaProducer<T> WithCrashPoints(ISinkCrashPoints? crashPoints)
    {
        _crashPoints = crashPoints;
        return this;
    }

    /// <summary>Replaces how pre-committed transactions are committed after a restore (a seam for tests).</summary>
    internal KafkaProducer<T> SetTransactionCommitter(Func<IReadOnlyDictionary<string, string>, ITransactionCommitter> factory)
    {
        _committerFactory = factory ?? throw new ArgumentNullException(nameof(factory));
        return this;
    }

    /// <inheritdoc />
    public void InitializeState(IFunctionInitializationContext context)
    {
        // Union state: every subtask sees every pending transaction and commits those whose ids it owns now.
        _pendingState = context.OperatorStateStore.GetUnionListState(PendingState);
        _checkpointsWithRecords = [];
        _topologyState = context.OperatorStateStore.GetUnionListState(TopologyState);
        var runtime = context.RuntimeContext;
        var topologies = _topologyState.Get().ToList();
        _restored = context.IsRestored && topologies.Count > 0
            ? RestoredSinkState.ForSubtask(_pendingState.Get(), _transactionalIdPrefix ?? TransactionalIdNaming.DefaultPrefix(runtime.JobName, runtime.OperatorUid),
                runtime.SubtaskIndex, runtime.NumberOfParallelSubtasks, topologies.Max(t => t.Parallelism), topologies.Max(t => t.ProducerPoolSize))
            : RestoredSinkState.None(runtime.NumberOfParallelSubtasks, _producerPoolSize);
        if (_restored.PendingTransactions.Count > 0)
        {
            _restored = _restored with { CheckpointId = context.RestoredCheckpointId ?? 0 };
        }
    }

    /// <inheritdoc />
    public void Open(IRuntimeContext context)
    {
        _context = context;
        var logger = context.LoggerFactory.CreateLogger($"Rivulet.Connectors.Kafka.Sink.KafkaProducer[{context.TaskNameWithSubtasks}]");
        _metrics = new KafkaSinkMetrics(context.OperatorName, context.SubtaskIndex);
        // Every subtask gets its own copy: the engine copies this sink shallowly, and a shared
        // partitioner would be opened by all subtasks in turn and route them all alike.
        _partitioner = _partitioner?.CopyForSubtask();
        _partitioner?.Open(context.SubtaskIndex, context.NumberOfParallelSubtasks);
        var settings = new KafkaSinkSettings
        {
            ClientProperties = KafkaProperties.ForClient(_properties, logger),
            DefaultTopic = _defaultTopic,
            Semantic = _semantic,
            LogFailuresOnly = _logFailuresOnly,
            FlushOnCheckpoint = _flushOnCheckpoint,
            WriteTimestampToKafka = _writeTimestampToKafka,
            TransactionalIdPrefix = _transactionalIdPrefix ?? TransactionalIdNaming.DefaultPrefix(context.JobName, context.OperatorUid),
            ProducerPoolSize = _producerPoolSize,
            IgnoreLostTransactions = _ignoreLostTransactions,
            SafeScaleDownFactor = _safeScaleDownFactor,
            CrashPoints = _crashPoints,
        };
        if (_semantic == Semantic.ExactlyOnce && !context.IsCheckpointingEnabled)
        {
            logger.LogWarning("EXACTLY_ONCE without checkpointing: transactions are committed only when the input ends, and a failure replays everything.");
        }

        try
        {
            _writer = _semantic == Semantic.ExactlyOnce
                ? TransactionalKafkaWriter<T>.Start(settings, _schema, _partitioner, _metrics, logger, context.SubtaskIndex, context.NumberOfParallelSubtasks,
                    _restored ?? RestoredSinkState.None(context.NumberOfParallelSubtasks, _producerPoolSize),
                    (_committerFactory ?? (p => new Protocol.TransactionRecoveryClient(p)))(settings.ClientProperties),
                    () => new ReadCommittedTransactionProbe(settings.ClientProperties, logger), context.CancellationToken)
                : new NonTransactionalKafkaWriter<T>(settings, _schema, _partitioner, _metrics, logger, context.CancellationToken);
        }
        catch (Exception e) when (KafkaFailures.RestartCannotFix(e))
        {
            // Settings the client, the brokers or the recovery client refuse, or a lost
            // transaction: a restart would meet them again.
            throw new SuppressRestartsException(e);
        }
    }

    /// <inheritdoc />
    public void Invoke(T value, ISinkContext context) => _writer!.Write(value, context.Timestamp);

    /// <inheritdoc />
    public void SnapshotState(IFunctionSnapshotContext context)
    {
        var subtask = _context!.SubtaskIndex;
        _crashPoints?.Reached(SinkCrashPoint.BeforePreCommit, context.CheckpointId, subtask);
        var pending = _writer!.SnapshotState(context.CheckpointId);
        _crashPoints?.Reached(SinkCrashPoint.AfterPreCommit, context.CheckpointId, subtask);
        if (_crashPoints is not null && pending.Any(t => t.CheckpointId == context.CheckpointId && t.RecordCount > 0))
        {
            _checkpointsWithRecords.Add(context.CheckpointId);
        }

        _pendingState!.Update(pending);
        _topologyState!.Update([new SinkTopology(_context.NumberOfParallelSubtasks, _producerPoolSize)]);
    }

    /// <inheritdoc />
    public void NotifyCheckpointComplete(long checkpointId)
    {
        var subtask = _context!.SubtaskIndex;
        _crashPoints?.Reached(SinkCrashPoint.AfterCheckpointBeforeCommit, checkpointId, subtask);
        if (_checkpointsWithRecords.Remove(checkpointId))
        {
            _crashPoints?.Reached(SinkCrashPoint.AfterCheckpointWithRecordsBeforeCommit, checkpointId, subtask);
        }

        if (subtask != 0)
        {
            _crashPoints?.Reached(SinkCrashPoint.DuringCommit, checkpointId, subtask);
        }

        _writer?.NotifyCheckpointComplete(checkpointId);
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
        if (_context!.IsCheckpointingEnabled)
        {
            _writer?.FlushAtEndOfInput();
        }
        else
        {
            _writer?.Finish();
        }
    }

    /// <inheritdoc />
    public void Close() => Dispose();

    /// <inheritdoc />
    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
        _metrics?.Dispose();
        _metrics = null;
    }
}
