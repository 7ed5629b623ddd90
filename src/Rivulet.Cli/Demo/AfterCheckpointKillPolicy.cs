namespace Rivulet.Cli.Demo;

/// <summary>
/// <c>--kill-mode after-checkpoint</c>: a process is killed <paramref name="every"/> after its
/// start, but only once it completed a checkpoint of its own, so every process moves the job
/// forward however short the period. Shows recovery from a checkpoint, never a crash loop.
/// </summary>
internal sealed class AfterCheckpointKillPolicy(TimeSpan every) : IKillPolicy
{
    public bool ShouldKill(KillCandidate candidate) => candidate.Uptime >= every && candidate.CheckpointsCompleted > 0;
}
