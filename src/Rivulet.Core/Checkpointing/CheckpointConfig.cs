namespace Rivulet.Core.Checkpointing;

/// <summary>Checkpoint settings, as Flink's <c>CheckpointConfig</c>.</summary>
public sealed class CheckpointConfig
{
    private TimeSpan _interval = TimeSpan.Zero;
    private TimeSpan _timeout = TimeSpan.FromMinutes(10);
    private TimeSpan _minPause = TimeSpan.Zero;
    private int _maxConcurrent = 1;
    private int _tolerableFailures;
    private int _retained = 1;

    /// <summary>Zero = checkpointing off.</summary>
    public TimeSpan Interval
    {
        get => _interval;
        set => _interval = value >= TimeSpan.Zero ? value : throw Invalid(nameof(Interval), value, "must not be negative");
    }

    /// <summary>True when periodic checkpoints are on, that is when <see cref="Interval"/> is above zero.</summary>
    public bool IsEnabled => Interval > TimeSpan.Zero;

    /// <summary>A checkpoint not completed within this time is aborted (default 10 minutes).</summary>
    public TimeSpan Timeout
    {
        get => _timeout;
        set => _timeout = value > TimeSpan.Zero ? value : throw Invalid(nameof(Timeout), value, "must be positive");
    }

    /// <summary>Least time between the end of one checkpoint and the start of the next.</summary>
    public TimeSpan MinPauseBetweenCheckpoints
    {
        get => _minPause;
        set => _minPause = value >= TimeSpan.Zero ? value : throw Invalid(nameof(MinPauseBetweenCheckpoints), value, "must not be negative");
    }

    /// <summary>Periodic checkpoints that may be in flight at once (default 1, at least 1): a due checkpoint is not triggered while this many are pending. Savepoints are not limited by it.</summary>
    public int MaxConcurrentCheckpoints
    {
        get => _maxConcurrent;
        set => _maxConcurrent = value >= 1 ? value : throw Invalid(nameof(MaxConcurrentCheckpoints), value, "must be at least 1");
    }

    /// <summary>Failed or timed-out checkpoints in a row tolerated before the job fails (default 0, as Flink).</summary>
    public int TolerableCheckpointFailureNumber
    {
        get => _tolerableFailures;
        set => _tolerableFailures = value >= 0 ? value : throw Invalid(nameof(TolerableCheckpointFailureNumber), value, "must not be negative");
    }

    /// <summary>Completed checkpoints kept on disk (default 1).</summary>
    public int NumberOfRetainedCheckpoints
    {
        get => _retained;
        set => _retained = value >= 1 ? value : throw Invalid(nameof(NumberOfRetainedCheckpoints), value, "must be at least 1");
    }

    /// <summary>Where checkpoints are written; required when checkpointing is enabled.</summary>
    public string? CheckpointDirectory { get; set; }

    private static ArgumentOutOfRangeException Invalid(string setting, object value, string rule) =>
        new(setting, value, $"CheckpointConfig.{setting} {rule} (got {value}).");
}
