namespace Rivulet.EndToEnd.Tests;

internal static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="process"/>'s output when <paramref name="timeout"/> passes first.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, ChildProcess? process = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}." + (process is null ? string.Empty : $" Process output:\n{process.Output}"));
            }

            await Task.Delay(50);
        }
    }
}
