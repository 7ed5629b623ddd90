namespace Rivulet.Cli.Demo;

/// <summary>
/// <c>--kill-mode any</c> and the chaos harness: each process is killed at a moment drawn when it
/// is first seen, whatever it is doing then — starting, recovering before its first checkpoint,
/// committing — so crash loops (a restart killed before it completes a checkpoint, again and again)
/// happen too. The job makes progress only when some process lives long enough.
/// </summary>
internal sealed class RandomMomentKillPolicy(Func<TimeSpan> drawLifetime) : IKillPolicy
{
    private readonly Dictionary<int, TimeSpan> _lifetimes = [];

    /// <summary>Lifetimes uniform between 0.5 and 1.5 times <paramref name="every"/>.</summary>
    public static RandomMomentKillPolicy Around(TimeSpan every, Random random) =>
        new(() => every * (0.5 + random.NextDouble()));

    public bool ShouldKill(KillCandidate candidate)
    {
        if (!_lifetimes.TryGetValue(candidate.Id, out var lifetime))
        {
            _lifetimes[candidate.Id] = lifetime = drawLifetime();
        }

        return candidate.Uptime >= lifetime;
    }
}
