using Rivulet.Cli.Demo;

namespace Rivulet.EndToEnd.Tests;

/// <summary>What every exactly-once demo run must end with, however it was treated.</summary>
internal static class ExactlyOnceVerdict
{
    /// <summary>All <paramref name="records"/> read_committed exactly once, exact per-key counts, nothing left open, verdict pass, exit code 0.</summary>
    public static void AssertHolds(DemoSummary summary, long records, int exitCode)
    {
        Assert.Equal(records, summary.RecordsIn);
        Assert.Equal(records, summary.RecordsOut);
        Assert.Equal(0, summary.Duplicates);
        Assert.Equal(0, summary.Missing);
        Assert.Equal(0, summary.KeysWithWrongCounts);
        Assert.Equal(0, summary.OpenTransactions);
        Assert.Equal("pass", summary.Verdict);
        Assert.Equal(0, exitCode);
    }
}
