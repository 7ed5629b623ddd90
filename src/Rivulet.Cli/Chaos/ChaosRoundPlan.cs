using Rivulet.Cli.Demo;

namespace Rivulet.Cli.Chaos;

/// <summary>
/// Everything random about one chaos round, drawn from the run's seed and the round number, each
/// concern from its own generator so a replay with the same seed makes the same choices: input
/// size and rate, checkpoint interval, each job process's parallelism and lifetime, and (on the
/// embedded broker) the broker faults and injected errors.
/// </summary>
internal sealed class ChaosRoundPlan
{
    private readonly Random _lifetimes;
    private readonly Random _parallelism;

    public ChaosRoundPlan(int seed, int round)
    {
        var shape = new Random(Derive(seed, round, 1));
        _lifetimes = new Random(Derive(seed, round, 2));
        _parallelism = new Random(Derive(seed, round, 3));
        Faults = new Random(Derive(seed, round, 4));
        Records = shape.Next(4_000, 10_001);
        Rate = shape.Next(200, 401);
        // Log-uniform between 100 ms and 5 s.
        CheckpointIntervalMs = (int)Math.Round(100 * Math.Pow(50, shape.NextDouble()));
        EarlyKillShare = 0.3 + (0.2 * shape.NextDouble());
    }

    public int Records { get; }

    public double Rate { get; }

    public int CheckpointIntervalMs { get; }

    /// <summary>How often a process is killed within its first two seconds: while it starts and recovers.</summary>
    public double EarlyKillShare { get; }

    /// <summary>The generator for broker faults.</summary>
    public Random Faults { get; }

    /// <summary>
    /// Each process's lifetime: the second and third of a round die within 0.6 s — while they start
    /// and recover, twice in a row — and later ones often within their first two seconds, otherwise
    /// up to a few checkpoints long.
    /// </summary>
    public IKillPolicy KillPolicy()
    {
        var process = 0;
        return new RandomMomentKillPolicy(() =>
        {
            process++;
            var seconds = process is 2 or 3 ? 0.1 + (0.5 * _lifetimes.NextDouble())
                : _lifetimes.NextDouble() < EarlyKillShare ? 0.2 + (1.8 * _lifetimes.NextDouble())
                : 2 + (_lifetimes.NextDouble() * (2 + (2.0 * CheckpointIntervalMs / 1000)));
            return TimeSpan.FromSeconds(seconds);
        });
    }

    /// <summary>The parallelism of each new process: 1, 2 or 3, changing between restarts.</summary>
    public int NextParallelism() => _parallelism.Next(1, 4);

    public override string ToString() =>
        $"{Records:N0} records at {Rate:0}/s, checkpoints every {CheckpointIntervalMs} ms, parallelism 1-3 per process, {EarlyKillShare:P0} of kills in the first 2 s";

    // Not HashCode.Combine: it is randomized per process, and a replay must draw the same.
    private static int Derive(int seed, int round, int concern) => unchecked((seed * 1_000_003) + (round * 7_919) + (concern * 104_729));
}
