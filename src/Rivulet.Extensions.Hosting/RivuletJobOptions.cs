namespace Rivulet.Extensions.Hosting;

/// <summary>
/// How the host runs one job, bound from the configuration section <c>Rivulet:Jobs:&lt;job name&gt;</c>
/// (for example in <c>appsettings.json</c>) and validated when the host starts.
/// </summary>
public sealed class RivuletJobOptions
{
    /// <summary>The configuration section that holds every job's options, one sub-section per job name.</summary>
    public const string JobsSection = "Rivulet:Jobs";

    /// <summary>Default parallelism of the job's operators; the environment's default when unset.</summary>
    public int? Parallelism { get; set; }

    /// <summary>Upper bound of the parallelism the job can be rescaled to (key groups); the environment's default when unset.</summary>
    public int? MaxParallelism { get; set; }

    /// <summary>Time between checkpoints (for example <c>"00:00:10"</c>); checkpointing is off when unset.</summary>
    public TimeSpan? CheckpointInterval { get; set; }

    /// <summary>Where checkpoints are written; needed with <see cref="CheckpointInterval"/>.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>
    /// Where shutdown savepoints are written, one sub-directory per savepoint. When set, a start
    /// restores the newest of this job's savepoints here or its latest checkpoint, whichever is newer.
    /// </summary>
    public string? SavepointDirectory { get; set; }

    /// <summary>
    /// On host shutdown (SIGTERM, Ctrl+C, <c>StopApplication</c>), take a savepoint into
    /// <see cref="SavepointDirectory"/> before the job stops (default true); without a savepoint
    /// directory, or when false, the job is cancelled and resumes from its latest checkpoint.
    /// </summary>
    public bool StopWithSavepoint { get; set; } = true;

    /// <summary>
    /// The health check reports the job unhealthy when its last checkpoint completed longer ago than
    /// this (or, before the first, when the job started longer ago). Default: three checkpoint
    /// intervals plus one minute; no age check without checkpointing.
    /// </summary>
    public TimeSpan? MaxCheckpointAge { get; set; }

    /// <summary>Kafka client properties for the job's sources and sinks (<c>bootstrap.servers</c>, security settings, …).</summary>
    public Dictionary<string, string> Kafka { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The job's own settings (topic names, thresholds, …): the section <c>Rivulet:Jobs:&lt;job&gt;:Settings</c>.
    /// Any other key in the job's section that is not an option here fails the start, so a typo
    /// never goes unnoticed.
    /// </summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>The checkpoint age past which the job counts as unhealthy, or null for no limit.</summary>
    internal TimeSpan? EffectiveMaxCheckpointAge =>
        MaxCheckpointAge ?? (CheckpointInterval is { } interval ? 3 * interval + TimeSpan.FromMinutes(1) : null);

    /// <summary>The configuration key of a setting of job <paramref name="jobName"/>, as errors name it.</summary>
    internal static string KeyOf(string jobName, string setting) => $"{JobsSection}:{jobName}:{setting}";
}
