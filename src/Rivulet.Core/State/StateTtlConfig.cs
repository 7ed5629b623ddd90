namespace Rivulet.Core.State;

/// <summary>When the time-to-live of a state entry starts again (Flink's <c>StateTtlConfig.UpdateType</c>).</summary>
public enum StateTtlUpdateType
{
    /// <summary>When the entry is created or written (the default).</summary>
    OnCreateAndWrite = 0,

    /// <summary>Also when it is read.</summary>
    OnReadAndWrite = 1,
}

/// <summary>Whether an expired entry that is still stored can be read (Flink's <c>StateTtlConfig.StateVisibility</c>).</summary>
public enum StateVisibility
{
    /// <summary>Expired entries read as absent (the default).</summary>
    NeverReturnExpired = 0,

    /// <summary>Expired entries are returned until a cleanup removed them.</summary>
    ReturnExpiredIfNotCleanedUp = 1,
}

/// <summary>
/// Time-to-live for keyed state (Flink's <c>StateTtlConfig</c>), on processing time — the job's clock.
/// Enable it on a descriptor with <see cref="StateDescriptor.EnableTimeToLive"/>: a value, each list
/// element, each map entry expires <see cref="Ttl"/> after it was last written (or read, with
/// <see cref="StateTtlUpdateType.OnReadAndWrite"/>). Expired entries are dropped when read, from full
/// snapshots (<see cref="Builder.CleanupFullSnapshot"/>) and incrementally (<see cref="Builder.CleanupIncrementally"/>).
/// </summary>
public sealed class StateTtlConfig
{
    private StateTtlConfig(Builder builder)
    {
        Ttl = builder.TimeToLive;
        UpdateType = builder.Update;
        Visibility = builder.StateVisibility;
        CleanupInFullSnapshot = builder.FullSnapshot;
        IncrementalCleanupSize = builder.IncrementalSize;
        RunCleanupForEveryRecord = builder.EveryRecord;
    }

    /// <summary>How long an entry lives after its last update.</summary>
    public TimeSpan Ttl { get; }

    /// <summary>What restarts an entry's time to live.</summary>
    public StateTtlUpdateType UpdateType { get; }

    /// <summary>Whether expired entries not yet removed can be read.</summary>
    public StateVisibility Visibility { get; }

    /// <summary>Whether checkpoints and savepoints leave expired entries out.</summary>
    public bool CleanupInFullSnapshot { get; }

    /// <summary>Keys checked for expired entries at each state access; 0 = no incremental cleanup.</summary>
    public int IncrementalCleanupSize { get; }

    /// <summary>Whether the incremental cleanup also runs for every record the operator processes.</summary>
    public bool RunCleanupForEveryRecord { get; }

    /// <summary>Starts a configuration with time-to-live <paramref name="ttl"/> (Flink's <c>StateTtlConfig.newBuilder</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is less than a millisecond.</exception>
    public static Builder NewBuilder(TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.FromMilliseconds(1));
        return new Builder(ttl);
    }

    /// <summary>Builds a <see cref="StateTtlConfig"/>.</summary>
    public sealed class Builder
    {
        internal Builder(TimeSpan ttl) => TimeToLive = ttl;

        internal TimeSpan TimeToLive { get; }

        internal StateTtlUpdateType Update { get; private set; }

        internal StateVisibility StateVisibility { get; private set; }

        internal bool FullSnapshot { get; private set; }

        internal int IncrementalSize { get; private set; }

        internal bool EveryRecord { get; private set; }

        /// <summary>What restarts an entry's time to live (default <see cref="StateTtlUpdateType.OnCreateAndWrite"/>).</summary>
        public Builder SetUpdateType(StateTtlUpdateType updateType)
        {
            Update = updateType;
            return this;
        }

        /// <summary>Whether expired entries not yet removed can be read (default <see cref="StateVisibility.NeverReturnExpired"/>).</summary>
        public Builder SetStateVisibility(StateVisibility visibility)
        {
            StateVisibility = visibility;
            return this;
        }

        /// <summary>Leaves expired entries out of checkpoints and savepoints (a restore then starts without them).</summary>
        public Builder CleanupFullSnapshot()
        {
            FullSnapshot = true;
            return this;
        }

        /// <summary>
        /// Checks <paramref name="cleanupSize"/> keys for expired entries at each access of the state, and
        /// with <paramref name="runCleanupForEveryRecord"/> also for every record the operator processes.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="cleanupSize"/> is below 1.</exception>
        public Builder CleanupIncrementally(int cleanupSize, bool runCleanupForEveryRecord)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(cleanupSize, 1);
            IncrementalSize = cleanupSize;
            EveryRecord = runCleanupForEveryRecord;
            return this;
        }

        /// <summary>The configuration.</summary>
        public StateTtlConfig Build() => new(this);
    }
}
