using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Sink.Testing;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Serialization;

namespace Rivulet.Connectors.Kafka.Sink;

/// <summary>
/// Writes a stream to Kafka — Rivulet's counterpart of Flink's <c>FlinkKafkaProducer</c>, with
/// the semantics <see cref="Semantic.None"/>, <see cref="Semantic.AtLeastOnce"/> (default) and
/// <see cref="Semantic.ExactlyOnce"/> (Kafka transactions committed with checkpoints, recovered
/// after a crash).
/// </summary>
public sealed class KafkaProducer<T> : ISinkFunction<T>, IRichFunction, ICheckpointedFunction, ICheckpointListener, IBoundedInput, IDisposable
{
    // The configuration: immutable, replaced by a changed copy on every setter, read by all subtasks.
    private KafkaProducerSettings<T> _settings;

    // Per subtask: the engine gives each subtask its own shallow copy of this function before
    // InitializeState, and these two are made there and in Open.
    private KafkaSinkCheckpointState? _state;
    private KafkaSinkSubtask<T>? _subtask;

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
        var copied = new Dictionary<string, string>(properties, StringComparer.Ordinal);
        if (semantic == Semantic.ExactlyOnce && copied.TryGetValue("transaction.timeout.ms", out var timeout)
            && (!int.TryParse(timeout, out var ms) || ms <= 0))
        {
            throw new ArgumentException($"KafkaProducer: 'transaction.timeout.ms' must be a positive number of milliseconds, not '{timeout}'.", nameof(properties));
        }

        _settings = new KafkaProducerSettings<T>(schema, customPartitioner, new KafkaSinkSettings { ClientProperties = copied, DefaultTopic = defaultTopicId, Semantic = semantic });
    }

    /// <summary>Log and count delivery failures instead of failing the job (AT_LEAST_ONCE then loses them — use with care).</summary>
    public KafkaProducer<T> SetLogFailuresOnly(bool logFailuresOnly) => ConfigureWriter(w => w with { LogFailuresOnly = logFailuresOnly });

    /// <summary>AT_LEAST_ONCE: wait at each checkpoint until every sent record is acknowledged (default true).</summary>
    public KafkaProducer<T> SetFlushOnCheckpoint(bool flush) => ConfigureWriter(w => w with { FlushOnCheckpoint = flush });

    /// <summary>Write each element's timestamp as the Kafka record timestamp.</summary>
    public KafkaProducer<T> SetWriteTimestampToKafka(bool write) => ConfigureWriter(w => w with { WriteTimestampToKafka = write });

    /// <summary>Prefix of the transactional ids (default: job name and operator uid).</summary>
    public KafkaProducer<T> SetTransactionalIdPrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        _settings = _settings with { TransactionalIdPrefix = prefix };
        return this;
    }

    /// <summary>Transactional producers per subtask for EXACTLY_ONCE (default 5).</summary>
    public KafkaProducer<T> SetProducerPoolSize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        return ConfigureWriter(w => w with { ProducerPoolSize = size });
    }

    /// <summary>
    /// After a restore, go on when a transaction of the restored checkpoint turns out lost (the
    /// brokers aborted it, typically because the job was down longer than <c>transaction.timeout.ms</c>):
    /// the loss is logged as an error and counted (<c>rivulet.kafka.sink.transactions_lost</c>)
    /// instead of failing the job. Flink's <c>ignoreFailuresAfterTransactionTimeout()</c>; off by default.
    /// </summary>
    public KafkaProducer<T> IgnoreFailuresAfterTransactionTimeout() => ConfigureWriter(w => w with { IgnoreLostTransactions = true });

    /// <summary>
    /// How far beyond its parallelism an exactly-once sink fences transactional ids at start
    /// (default 5, Flink's SAFE_SCALE_DOWN_FACTOR): a run at up to this many times the parallelism
    /// that died before its first checkpoint leaves no transaction open behind it. 1 fences only the
    /// subtasks the checkpoint and this run know.
    /// </summary>
    public KafkaProducer<T> SetSafeScaleDownFactor(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        return ConfigureWriter(w => w with { SafeScaleDownFactor = factor });
    }

    /// <summary>Where crash tests stop this sink (internal: nothing a shipped job configures reaches it).</summary>
    internal KafkaProducer<T> WithCrashPoints(ISinkCrashPoints? crashPoints) => ConfigureWriter(w => w with { CrashPoints = crashPoints });

    /// <inheritdoc />
    public void InitializeState(IFunctionInitializationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _state = new KafkaSinkCheckpointState(context, _settings.TransactionalIdPrefixFor(context.RuntimeContext), _settings.Writer.ProducerPoolSize);
    }

    /// <inheritdoc />
    public void Open(IRuntimeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _subtask = new KafkaSinkSubtask<T>(_settings, _state ?? throw new InvalidOperationException("KafkaProducer: InitializeState has not run for this subtask."), context);
    }

    /// <inheritdoc />
    public void Invoke(T value, ISinkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Subtask.Write(value, context.Timestamp);
    }

    /// <inheritdoc />
    public void SnapshotState(IFunctionSnapshotContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Subtask.SnapshotState(context.CheckpointId);
    }

    /// <inheritdoc />
    public void NotifyCheckpointComplete(long checkpointId) => _subtask?.NotifyCheckpointComplete(checkpointId);

    /// <summary>
    /// The input ended. With checkpoints on, the job's final checkpoint follows and commits what is
    /// written (so a failure anywhere before it replays exactly once); without, it is committed now.
    /// </summary>
    public void EndInput() => Subtask.EndInput();

    /// <inheritdoc />
    public void Close() => Dispose();

    /// <inheritdoc />
    public void Dispose() => _subtask?.Dispose();

    private KafkaSinkSubtask<T> Subtask => _subtask ?? throw new InvalidOperationException("KafkaProducer: the subtask has not been opened.");

    private KafkaProducer<T> ConfigureWriter(Func<KafkaSinkSettings, KafkaSinkSettings> change)
    {
        _settings = _settings with { Writer = change(_settings.Writer) };
        return this;
    }
}
