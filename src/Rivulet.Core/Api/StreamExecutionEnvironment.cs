using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rivulet.Core.Api.Connectors;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Graph;
using Rivulet.Core.Recovery;
using Rivulet.Core.Runtime;
using Rivulet.Core.State.Serialization;
using Rivulet.Core.Time;

namespace Rivulet.Core.Api;

/// <summary>
/// Where a streaming job is defined and started (Flink's <c>StreamExecutionEnvironment</c>):
/// add sources, transform streams, then <see cref="ExecuteAsync"/>.
/// </summary>
public sealed class StreamExecutionEnvironment
{
    private readonly List<StreamNode> _nodes = [];
    private readonly TypeSerializerRegistry _serializers = new();
    private int _parallelism = Math.Max(1, Environment.ProcessorCount);
    private int _maxParallelism = 128;
    private RestartStrategy? _restartStrategy;
    private int _batchSize = 512;
    private int _channelCapacity = 8;
    private TimeSpan _bufferTimeout = TimeSpan.FromMilliseconds(10);
    private TimeSpan _autoWatermarkInterval = TimeSpan.FromMilliseconds(200);
    private TimeProvider _clock = TimeProvider.System;

    private StreamExecutionEnvironment(ILoggerFactory loggerFactory) => LoggerFactory = loggerFactory;

    /// <summary>Flink's <c>getExecutionEnvironment()</c>: jobs run in this process.</summary>
    public static StreamExecutionEnvironment GetExecutionEnvironment(ILoggerFactory? loggerFactory = null) => new(loggerFactory ?? NullLoggerFactory.Instance);

    /// <summary>The logger factory given to <see cref="GetExecutionEnvironment"/> (a no-op one when none was); the engine and the functions log through it.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The job's checkpoint settings (Flink's <c>getCheckpointConfig()</c>); checkpointing needs an interval and a checkpoint directory.</summary>
    public CheckpointConfig CheckpointConfig { get; } = new();

    /// <summary>Default parallelism of operators that do not set their own (default: number of cores).</summary>
    public int Parallelism => _parallelism;

    /// <summary>Number of key groups (default 128): the upper bound for any operator's parallelism and for rescaling keyed state.</summary>
    public int MaxParallelism => _maxParallelism;

    /// <summary>How often periodic watermark generators emit (default 200 ms, as Flink).</summary>
    public TimeSpan AutoWatermarkInterval => _autoWatermarkInterval;

    internal string? RestorePath { get; private set; }

    internal bool AllowNonRestoredState { get; private set; }

    internal bool ResumeFromLatestCheckpoint { get; private set; }

    internal bool IgnoreExistingCheckpoints { get; private set; }

    /// <summary>How the job opens its checkpoint directory; tests replace it to make storage operations fail.</summary>
    internal Func<string, CheckpointStorage>? OpenCheckpointStorage { get; set; }

    /// <summary>Sets the default parallelism of operators that do not set their own (Flink's <c>setParallelism</c>); it may not exceed <see cref="MaxParallelism"/> when the job starts.</summary>
    public StreamExecutionEnvironment SetParallelism(int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _parallelism = parallelism;
        return this;
    }

    /// <summary>Number of key groups (default 128): the upper bound for rescaling keyed state.</summary>
    public StreamExecutionEnvironment SetMaxParallelism(int maxParallelism)
    {
        if (maxParallelism is < 1 or > 32768)
        {
            throw new ArgumentOutOfRangeException(nameof(maxParallelism), maxParallelism, "Max parallelism must be between 1 and 32768.");
        }

        _maxParallelism = maxParallelism;
        return this;
    }

    /// <summary>Checkpoint every <paramref name="intervalMs"/> milliseconds (Flink's enableCheckpointing).</summary>
    public StreamExecutionEnvironment EnableCheckpointing(long intervalMs) => EnableCheckpointing(TimeSpan.FromMilliseconds(intervalMs));

    /// <summary>
    /// Checkpoint every <paramref name="interval"/> (Flink's <c>enableCheckpointing</c>); the job also needs
    /// <c>CheckpointConfig.CheckpointDirectory</c>, or starting it throws.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive.</exception>
    public StreamExecutionEnvironment EnableCheckpointing(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The checkpoint interval must be positive.");
        }

        CheckpointConfig.Interval = interval;
        return this;
    }

    /// <summary>
    /// How the job restarts after a failure. Default: no restarts without checkpointing; with
    /// checkpointing, fixed delay of 1 s with unlimited attempts (as Flink).
    /// </summary>
    public StreamExecutionEnvironment SetRestartStrategy(RestartStrategy strategy)
    {
        _restartStrategy = strategy ?? throw new ArgumentNullException(nameof(strategy));
        return this;
    }

    /// <summary>Start the job from a savepoint or checkpoint directory (its <c>_metadata</c>).</summary>
    public StreamExecutionEnvironment SetStateRestorePath(string path, bool allowNonRestoredState = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        RestorePath = path;
        AllowNonRestoredState = allowNonRestoredState;
        return this;
    }

    /// <summary>
    /// Start from the latest completed checkpoint in the checkpoint directory, if there is one:
    /// what a job restarted as a new process (after a crash) wants.
    /// </summary>
    public StreamExecutionEnvironment SetResumeFromLatestCheckpoint(bool resume = true)
    {
        ResumeFromLatestCheckpoint = resume;
        return this;
    }

    /// <summary>
    /// Start without restoring although the checkpoint directory holds completed checkpoints of a
    /// job with the same name. Without this, such a start is refused: it would throw away what
    /// those checkpoints hold — an exactly-once Kafka sink fences its transactional ids, aborting
    /// transactions a completed checkpoint needs committed, while a Kafka source resumes from the
    /// group offsets committed with that checkpoint, so those records would be lost.
    /// </summary>
    public StreamExecutionEnvironment SetIgnoreExistingCheckpoints(bool ignore = true)
    {
        IgnoreExistingCheckpoints = ignore;
        return this;
    }

    /// <summary>Records per batch between subtasks (default 512).</summary>
    public StreamExecutionEnvironment SetBatchSize(int records)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(records, 1);
        _batchSize = records;
        return this;
    }

    /// <summary>Batches a channel between two subtasks holds before its producer waits (default 8).</summary>
    public StreamExecutionEnvironment SetChannelCapacity(int batches)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 1);
        _channelCapacity = batches;
        return this;
    }

    /// <summary>Longest time a source's partially filled batch waits before it is sent (default 10 ms).</summary>
    public StreamExecutionEnvironment SetBufferTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        _bufferTimeout = timeout;
        return this;
    }

    /// <summary>
    /// How often periodic watermarks are generated (Flink's <c>setAutoWatermarkInterval</c>,
    /// default 200 ms); <see cref="TimeSpan.Zero"/> turns periodic generation off.
    /// </summary>
    public StreamExecutionEnvironment SetAutoWatermarkInterval(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        _autoWatermarkInterval = interval;
        return this;
    }

    /// <summary>
    /// The clock the engine schedules by: when checkpoints are due and expire, restart backoff,
    /// checkpoint completion times, processing time and processing-time timers and windows,
    /// watermark idleness and periodic emission, partition discovery. The system clock by default;
    /// tests pass a fake one to step through time deterministically.
    /// </summary>
    public StreamExecutionEnvironment SetTimeProvider(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        return this;
    }

    /// <summary>
    /// Adds a built source (Flink's <c>env.fromSource(source, watermarkStrategy, sourceName)</c>):
    /// the source applies <paramref name="watermarkStrategy"/> itself, per split where it has
    /// splits (a Kafka source per partition); <see cref="WatermarkStrategy{T}.NoWatermarks"/> for none.
    /// </summary>
    /// <param name="source">The source, for example one from <c>KafkaSource.Builder&lt;T&gt;()</c>.</param>
    /// <param name="watermarkStrategy">How elements get timestamps and the stream its watermarks.</param>
    /// <param name="sourceName">The source operator's name in logs and metrics.</param>
    public DataStream<T> FromSource<T>(ISource<T> source, WatermarkStrategy<T> watermarkStrategy, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(watermarkStrategy);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        return AddSource(source.CreateSourceFunction(watermarkStrategy), sourceName);
    }

    /// <summary>Adds a source function (the seeds' <c>env.addSource(new FlinkKafkaConsumer&lt;&gt;(…))</c>).</summary>
    /// <param name="source">The function; each parallel subtask runs its own copy.</param>
    /// <param name="name">The source operator's name in logs and metrics.</param>
    public DataStream<T> AddSource<T>(ISourceFunction<T> source, string name = "Source")
    {
        ArgumentNullException.ThrowIfNull(source);
        var node = new SourceNode<T>(_nodes.Count + 1, name, source);
        _nodes.Add(node);
        return new DataStream<T>(this, [node]);
    }

    /// <summary>A bounded stream of the given elements (parallelism 1).</summary>
    public DataStream<T> FromCollection<T>(IEnumerable<T> elements, string name = "Collection Source")
    {
        var stream = AddSource(new CollectionSource<T>([.. elements]), name);
        stream.SetParallelism(1);
        return stream;
    }

    internal TNode Register<TNode>(Func<int, TNode> create)
        where TNode : StreamNode
    {
        var node = create(_nodes.Count + 1);
        _nodes.Add(node);
        return node;
    }

    /// <summary>
    /// Writes records of <typeparamref name="T"/> with <paramref name="serializer"/> where they
    /// cross processes (a job on a cluster), instead of the built-in choice (binary for
    /// primitives and strings, JSON for other types) — e.g. a compact binary form of a record
    /// struct that crosses at a KeyBy.
    /// </summary>
    public StreamExecutionEnvironment RegisterTypeSerializer<T>(ITypeSerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        _serializers.Register(serializer);
        return this;
    }

    /// <summary>Starts the job and returns at once with a handle to it.</summary>
    public JobClient Start(string jobName)
    {
        var (graph, settings) = Prepare(jobName);
        var metrics = new JobMetrics(_clock);
        var runner = new JobRunner(settings, graph, metrics);
        var cancellation = new CancellationTokenSource();
        var completion = Task.Run(() => runner.RunAsync(cancellation.Token));
        return new JobClient(jobName, runner, metrics, cancellation, completion);
    }

    /// <summary>Checks the job and turns it into the graph and settings it runs with — in this process, or on a cluster.</summary>
    internal (JobGraph Graph, JobSettings Settings) Prepare(string jobName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobName);
        if (_nodes.Count == 0)
        {
            throw new InvalidOperationException("The job has no operators: add a source first.");
        }

        if (CheckpointConfig.IsEnabled && string.IsNullOrWhiteSpace(CheckpointConfig.CheckpointDirectory))
        {
            throw new InvalidOperationException("Checkpointing is enabled but CheckpointConfig.CheckpointDirectory is not set.");
        }

        if (CheckpointConfig.CheckpointDirectory is { } root && !ResumeFromLatestCheckpoint && RestorePath is null && !IgnoreExistingCheckpoints
            && new CheckpointStorage(root).FindLatestCompleted(jobName) is { } earlier)
        {
            throw new InvalidOperationException(
                $"Job '{jobName}' would start without its state: the checkpoint directory {root} holds its completed checkpoint {earlier.CheckpointId} " +
                $"({earlier.Directory}), and this start restores nothing. Resume from it with SetResumeFromLatestCheckpoint() (what a restarted process wants), " +
                "restore a savepoint with SetStateRestorePath(path), or — to really start over — call SetIgnoreExistingCheckpoints() or use an empty checkpoint " +
                "directory. Starting over throws that state away: an exactly-once Kafka sink aborts the transactions the checkpoint still needs committed, " +
                "and a Kafka source resumes from the offsets committed with it, so those records would be lost.");
        }

        var graph = BuildGraph();
        var settings = new JobSettings
        {
            JobName = jobName,
            MaxParallelism = _maxParallelism,
            Checkpoints = CheckpointConfig,
            RestartStrategy = _restartStrategy ?? (CheckpointConfig.IsEnabled ? RestartStrategy.FixedDelay(int.MaxValue, TimeSpan.FromSeconds(1)) : RestartStrategy.None()),
            BatchSize = _batchSize,
            ChannelCapacity = _channelCapacity,
            BufferTimeout = _bufferTimeout,
            AutoWatermarkInterval = _autoWatermarkInterval,
            LoggerFactory = LoggerFactory,
            Clock = _clock,
            InitialRestorePath = RestorePath,
            AllowNonRestoredState = AllowNonRestoredState,
            ResumeFromLatestCheckpoint = ResumeFromLatestCheckpoint,
            OpenCheckpointStorage = OpenCheckpointStorage ?? (root => new CheckpointStorage(root)),
            Serializers = _serializers,
        };
        return (graph, settings);
    }

    /// <summary>The job graph of what was built so far; with <paramref name="parallelismCap"/>, no operator gets more subtasks than that.</summary>
    internal JobGraph BuildGraph(int? parallelismCap = null) => JobGraph.Build(_nodes, _parallelism, _maxParallelism, parallelismCap);

    /// <summary>Runs the job until it finishes (bounded sources) or <paramref name="cancellationToken"/> cancels it.</summary>
    public async Task<JobClient> ExecuteAsync(string jobName, CancellationToken cancellationToken = default)
    {
        var client = Start(jobName);
        await using (cancellationToken.Register(() => _ = client.CancelAsync()))
        {
            try
            {
                await client.Completion.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        return client;
    }
}
