using Rivulet.Connectors.Kafka.Sink.Transactions;

namespace Rivulet.Connectors.Kafka.Tests.Sink.Recovery;

/// <summary>
/// One sequence of events for a sink subtask's transactional ids: attempts that each restore the
/// latest completed checkpoint and are killed at given steps, with a loss (a transaction of the
/// latest completed checkpoint aborted by the brokers' timeout, or its id fenced by a stranger) in
/// the downtime after a kill; then a last attempt that runs the whole script and ends with
/// everything committed — restored from the latest completed checkpoint, or, as a user going back
/// to an older savepoint would, from the one before it.
/// </summary>
public sealed record RecoveryScenario(IReadOnlyList<KilledAttempt> Kills, bool FinalRestoresOlder = false)
{
    /// <inheritdoc/>
    public override string ToString() =>
        (Kills.Count == 0 ? "no kill" : string.Join(" → ", Kills)) + (FinalRestoresOlder ? " → restore the older checkpoint" : string.Empty);
}

/// <summary>An attempt that dies at step <paramref name="KillAtStep"/> (see <see cref="RecoveryScriptRunner"/>).</summary>
/// <param name="KillAtStep">The step at which the process dies.</param>
/// <param name="LossAfter">What the brokers (or a stranger) do to the latest checkpoint's first transaction while the job is down after this kill.</param>
public sealed record KilledAttempt(int KillAtStep, DowntimeEvent LossAfter = DowntimeEvent.None)
{
    /// <inheritdoc/>
    public override string ToString() => $"kill@{KillAtStep}{(LossAfter == DowntimeEvent.None ? string.Empty : $" then {LossAfter}")}";
}

/// <summary>What happens to a pending transaction while the job is down.</summary>
public enum DowntimeEvent
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>The brokers abort the still-open transaction at its timeout (epoch bumped).</summary>
    TimeoutAbort,

    /// <summary>Another producer initializes the same transactional id (epoch bumped; an open transaction aborted).</summary>
    StrangerFences,
}

/// <summary>A checkpoint as the model's coordinator completed it: the sink subtask's stored pending transactions.</summary>
internal sealed record CompletedSinkCheckpoint(long CheckpointId, IReadOnlyList<PendingTransaction> Pending);
