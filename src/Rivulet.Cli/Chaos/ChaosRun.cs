using System.Diagnostics;
using System.Globalization;
using Rivulet.Cli.Demo;
using Rivulet.Connectors.Kafka.Sink;

namespace Rivulet.Cli.Chaos;

/// <summary>
/// <c>rivulet chaos</c>: the demo job, exactly-once, for many rounds under randomized fault
/// schedules — SIGKILLs at random moments (start-up and recovery included, several in a row),
/// broker outages, retriable errors injected into Produce, EndTxn, TxnOffsetCommit,
/// FindCoordinator and AddPartitionsToTxn, checkpoint intervals from 100 ms to 5 s, a new
/// parallelism at every restart — each round checked by an independent read_committed reader.
/// </summary>
internal sealed class ChaosRun(ChaosOptions options, TextWriter output)
{
    private const int EmbeddedBrokers = 3;

    public async Task<ChaosTally> RunAsync(CancellationToken cancellationToken)
    {
        var seed = options.Seed ?? Random.Shared.Next(1, int.MaxValue);
        var logPath = options.LogPath ?? Path.Combine(Path.GetTempPath(), $"rivulet-chaos-{seed}.log");
        output.WriteLine($"chaos: seed {seed} (replay with --seed {seed}); {options.Rounds} round(s); details in {logPath}");
        if (options.BootstrapServers is not null)
        {
            output.WriteLine("chaos: on an external cluster only the job processes are killed; broker faults and injected errors need the embedded test broker");
        }

        var tally = new ChaosTally { Seed = seed };
        var clock = Stopwatch.StartNew();
        await using var log = new StreamWriter(logPath) { AutoFlush = true };
        for (var round = 1; round <= options.Rounds && !cancellationToken.IsCancellationRequested; round++)
        {
            var plan = new ChaosRoundPlan(seed, round);
            await log.WriteLineAsync($"=== round {round}: {plan}");
            var console = new DemoConsole(log, isTerminal: false);
            using var broker = options.BootstrapServers is { } servers ? DemoBroker.External(servers) : DemoBroker.Embedded(EmbeddedBrokers);
            var faults = broker.EmbeddedCluster is { } cluster ? new BrokerChaos(cluster, plan.Faults, console) : null;
            var demo = new DemoRun(new DemoOptions
            {
                Records = plan.Records,
                Rate = plan.Rate,
                CheckpointIntervalMs = plan.CheckpointIntervalMs,
                Semantic = Semantic.ExactlyOnce,
                Parallelism = 2,
            }, console);
            var topic = $"rivulet-chaos-{seed}-{round}-{Guid.NewGuid():N}"[..40];
            var summary = await demo.RunOnAsync(broker, new DemoPlan
            {
                InputTopic = topic + "-in",
                OutputTopic = topic + "-out",
                KillPolicy = plan.KillPolicy(),
                ParallelismForStart = _ => plan.NextParallelism(),
                Chaos = faults,
                ChaosEndsWithInput = true,
            }, cancellationToken);
            foreach (var line in summary.Lines())
            {
                await log.WriteLineAsync(line);
            }

            tally.Add(summary, faults);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}/{options.Rounds}: {(summary.Passed ? "pass" : "FAIL")} — {summary.RecordsIn:N0} records, checkpoints every {plan.CheckpointIntervalMs} ms, " +
                $"{summary.Kills} kills ({summary.KillsBeforeCheckpoint} before a checkpoint), {faults?.BrokerKills ?? 0} broker outages, {faults?.InjectedErrors ?? 0} injected errors; " +
                $"missing {summary.Missing}, duplicates {summary.Duplicates}, open transactions {summary.OpenTransactions} ({summary.Seconds:0} s)"));
            if (!summary.Passed)
            {
                output.WriteLine($"round {round} failed: {summary.VerdictText} (its log is in {logPath}; replay with --seed {seed})");
            }
        }

        tally.Duration = clock.Elapsed;
        output.WriteLine(tally.ResultLine());
        return tally;
    }
}
