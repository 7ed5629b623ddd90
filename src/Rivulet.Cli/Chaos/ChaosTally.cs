using System.Globalization;
using Rivulet.Cli.Demo;

namespace Rivulet.Cli.Chaos;

/// <summary>What all rounds of a chaos run add up to, and its one-line result.</summary>
internal sealed class ChaosTally
{
    public required int Seed { get; init; }

    public int Rounds { get; private set; }

    public int FailedRounds { get; private set; }

    public int Kills { get; private set; }

    public int KillsDuringRecovery { get; private set; }

    public int BrokerKills { get; private set; }

    public int InjectedErrors { get; private set; }

    public long Lost { get; private set; }

    public long Duplicated { get; private set; }

    public long OpenTransactions { get; private set; }

    public long WrongCounts { get; private set; }

    public TimeSpan Duration { get; set; }

    /// <summary>Every round finished and held exactly-once.</summary>
    public bool Passed => Rounds > 0 && FailedRounds == 0 && Lost == 0 && Duplicated == 0 && OpenTransactions == 0 && WrongCounts == 0;

    public void Add(DemoSummary round, BrokerChaos? faults)
    {
        Rounds++;
        FailedRounds += round.Passed ? 0 : 1;
        Kills += round.Kills;
        KillsDuringRecovery += round.KillsBeforeCheckpoint;
        BrokerKills += faults?.BrokerKills ?? 0;
        InjectedErrors += faults?.InjectedErrors ?? 0;
        Lost += round.Missing;
        Duplicated += round.Duplicates;
        OpenTransactions += round.OpenTransactions;
        WrongCounts += round.KeysWithWrongCounts;
    }

    /// <summary><c>CHAOS rounds=… kills=… …</c>: the line a run ends with.</summary>
    public string ResultLine() => string.Create(CultureInfo.InvariantCulture,
        $"CHAOS rounds={Rounds} failed_rounds={FailedRounds} kills={Kills} recovery_kills={KillsDuringRecovery} broker_kills={BrokerKills} injected_errors={InjectedErrors} " +
        $"lost={Lost} duplicated={Duplicated} open_transactions={OpenTransactions} wrong_counts={WrongCounts} seconds={Duration.TotalSeconds:0} seed={Seed}");
}
