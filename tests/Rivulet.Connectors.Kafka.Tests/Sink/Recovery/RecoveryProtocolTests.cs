using System.Collections.Concurrent;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Sink.Recovery;

/// <summary>
/// The exactly-once sink's recovery protocol, checked exhaustively against the test broker: every
/// sequence of up to two kills — at every step of the script and at every crash point inside the
/// writer, recovery included — and losses in the downtime, each ending with every completed
/// checkpoint's records visible exactly once (or a loss reported, never hidden), nothing else
/// visible, and no transaction left open. See <see cref="RecoveryScriptRunner"/>.
/// </summary>
[Collection(RecoveryEnumeration.Collection)]
public sealed class RecoveryProtocolTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    // Most of a scenario's time is spent waiting on the broker and the clients, not computing.
    private const int Concurrency = 16;
    private static readonly SemaphoreSlim Slots = new(Concurrency);
    private static readonly Lock FirstAttemptGate = new();
    private static List<int>? _firstAttemptKillSteps;

    [Fact]
    public async Task Every_sequence_of_up_to_two_kills_commits_each_completed_checkpoint_exactly_once()
    {
        var failures = new ConcurrentBag<string>();
        var firstKills = FirstAttemptKillSteps(failures);
        Assert.True(firstKills.Count >= 15, $"the first attempt should offer many kill points, found {firstKills.Count}");

        var scenarios = await Task.WhenAll(firstKills.Select(first => KillStepsUntilTheAttemptOutlivesThem([new KilledAttempt(first)], failures)));

        Assert.True(failures.IsEmpty, $"{failures.Count} failing sequence(s):\n{string.Join("\n", failures.Take(20))}");
        Assert.True(scenarios.Sum(s => s.Count) >= 15 * firstKills.Count, $"expected every restarted attempt to offer many kill points, found {scenarios.Sum(s => s.Count)} sequences");
    }

    [Theory]
    [InlineData(DowntimeEvent.TimeoutAbort)]
    [InlineData(DowntimeEvent.StrangerFences)]
    public async Task A_transaction_lost_in_the_downtime_fails_the_restore_naming_it_and_nothing_else_is_ever_reported_lost(DowntimeEvent loss)
    {
        var failures = new ConcurrentBag<string>();
        var refused = 0;
        var kills = FirstAttemptKillSteps(failures);
        await Parallel.ForEachAsync(kills.SelectMany(k => new[] { [new KilledAttempt(k, loss)], new[] { new KilledAttempt(k, loss), new KilledAttempt(0) } }),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = TestContext.Current.CancellationToken },
            (sequence, _) =>
            {
                using var runner = Run(new RecoveryScenario(sequence), ignoreLost: false, failures);
                if (runner.RefusedLoss is { } lost)
                {
                    Interlocked.Increment(ref refused);
                    if (!lost.Message.Contains(lost.Transaction.TransactionalId, StringComparison.Ordinal)
                        || !lost.Message.Contains($"checkpoint {lost.Transaction.CheckpointId}", StringComparison.Ordinal)
                        || !lost.Message.Contains($"producer id {lost.Transaction.ProducerId}, epoch {lost.Transaction.ProducerEpoch}", StringComparison.Ordinal)
                        || !lost.Message.Contains("IgnoreFailuresAfterTransactionTimeout", StringComparison.Ordinal))
                    {
                        failures.Add($"{new RecoveryScenario(sequence)}: the loss message lacks what the user needs: {lost.Message}");
                    }
                }

                return ValueTask.CompletedTask;
            });

        Assert.True(failures.IsEmpty, $"{failures.Count} failing sequence(s):\n{string.Join("\n", failures.Take(20))}");
        // Kills after a checkpoint completed and before its commit leave its transaction open: there the loss is real.
        Assert.True(refused >= 2, $"expected some kills to leave a completed checkpoint's transaction open for the {loss} to abort; {refused} did");
    }

    [Fact]
    public async Task With_IgnoreFailuresAfterTransactionTimeout_a_lost_transaction_is_skipped_and_everything_else_stays_exactly_once()
    {
        var failures = new ConcurrentBag<string>();
        var lostSkipped = 0;
        var kills = FirstAttemptKillSteps(failures);
        await Parallel.ForEachAsync(kills, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = TestContext.Current.CancellationToken },
            (kill, _) =>
            {
                using var runner = Run(new RecoveryScenario([new KilledAttempt(kill, DowntimeEvent.TimeoutAbort)]), ignoreLost: true, failures);
                if (runner.LostCheckpointTransactions.Count > 0)
                {
                    Interlocked.Increment(ref lostSkipped);
                }

                return ValueTask.CompletedTask;
            });

        Assert.True(failures.IsEmpty, $"{failures.Count} failing sequence(s):\n{string.Join("\n", failures.Take(20))}");
        Assert.True(lostSkipped >= 2, $"expected some sequences to lose a transaction; {lostSkipped} did");
    }

    [Fact]
    public async Task Restoring_an_older_checkpoint_after_any_kill_commits_its_transactions_once_and_leaves_nothing_open()
    {
        var failures = new ConcurrentBag<string>();
        var kills = FirstAttemptKillSteps(failures);
        await Parallel.ForEachAsync(kills, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = TestContext.Current.CancellationToken },
            (kill, _) =>
            {
                using var runner = Run(new RecoveryScenario([new KilledAttempt(kill)], FinalRestoresOlder: true), ignoreLost: false, failures);
                return ValueTask.CompletedTask;
            });

        Assert.True(failures.IsEmpty, $"{failures.Count} failing sequence(s):\n{string.Join("\n", failures.Take(20))}");
    }

    /// <summary>The first attempt restores nothing, so where it can die is the same for every test: found once.</summary>
    private List<int> FirstAttemptKillSteps(ConcurrentBag<string> failures)
    {
        lock (FirstAttemptGate)
        {
            return _firstAttemptKillSteps ??= KillStepsUntilTheAttemptOutlivesThem([], failures).GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Runs <paramref name="earlier"/> followed by a kill at step 0, 1, 2, … of the next attempt
    /// (a few at a time), until that attempt runs its whole script without reaching the step;
    /// returns the steps at which it died.
    /// </summary>
    private async Task<List<int>> KillStepsUntilTheAttemptOutlivesThem(IReadOnlyList<KilledAttempt> earlier, ConcurrentBag<string> failures)
    {
        const int batch = 4;
        var steps = new List<int>();
        for (var first = 0; ; first += batch)
        {
            var died = await Task.WhenAll(Enumerable.Range(first, batch).Select(step => Task.Run(async () =>
            {
                await Slots.WaitAsync(TestContext.Current.CancellationToken);
                try
                {
                    using var runner = Run(new RecoveryScenario([.. earlier, new KilledAttempt(step)]), ignoreLost: false, failures);
                    return runner.DiedAtKillStep.Count > earlier.Count && runner.DiedAtKillStep[earlier.Count];
                }
                finally
                {
                    Slots.Release();
                }
            })));
            steps.AddRange(Enumerable.Range(first, batch).Where((_, i) => died[i]));
            if (died.Contains(false))
            {
                return steps;
            }
        }
    }

    private RecoveryScriptRunner Run(RecoveryScenario scenario, bool ignoreLost, ConcurrentBag<string> failures)
    {
        var runner = new RecoveryScriptRunner(broker.Cluster, ignoreLost);
        try
        {
            runner.Run(scenario);
            if (runner.Check() is { } problem)
            {
                failures.Add($"{scenario} (steps per attempt {string.Join("/", runner.StepsPerAttempt)}): {problem}");
            }
        }
        catch (Exception e)
        {
            failures.Add($"{scenario} (steps per attempt {string.Join("/", runner.StepsPerAttempt)}): {e.GetType().Name}: {e.Message}");
        }

        return runner;
    }
}

/// <summary>The enumeration runs many scenarios at once: alone, so it starves no other test's deadlines.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class RecoveryEnumeration
{
    public const string Collection = "recovery protocol enumeration";
}
