namespace Rivulet.Cli.Demo;

/// <summary>What a read_committed reader found in the demo's output topic.</summary>
internal sealed record DemoVerdict
{
    public required long Expected { get; init; }

    public required long RecordsOut { get; init; }

    public required long Distinct { get; init; }

    public required long Duplicates { get; init; }

    public required long Missing { get; init; }

    /// <summary>Records that are not <c>i:count</c> with 0 ≤ i &lt; expected.</summary>
    public required long Unexpected { get; init; }

    /// <summary>Keys whose counts are not exactly 1, 2, …, n in output order.</summary>
    public required long KeysWithWrongCounts { get; init; }

    /// <summary>Partitions whose last stable offset is behind the log end (a transaction left open).</summary>
    public required int PartitionsWithOpenTransactions { get; init; }

    public bool ExactlyOnce => Missing == 0 && Duplicates == 0 && Unexpected == 0 && KeysWithWrongCounts == 0 && PartitionsWithOpenTransactions == 0;

    public bool AtLeastOnce => Missing == 0;

    public override string ToString() =>
        $"expected {Expected}, read {RecordsOut} ({Distinct} distinct): {Duplicates} duplicates, {Missing} missing, {Unexpected} unexpected, " +
        $"{KeysWithWrongCounts} keys with wrong counts, {PartitionsWithOpenTransactions} partitions with open transactions";
}
