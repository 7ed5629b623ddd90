namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>Flink's <c>TriggerResult.isFire()</c> and <c>isPurge()</c>.</summary>
public static class TriggerResultExtensions
{
    /// <summary>Whether the window fires (<see cref="TriggerResult.Fire"/> or <see cref="TriggerResult.FireAndPurge"/>).</summary>
    public static bool IsFire(this TriggerResult result) => (result & TriggerResult.Fire) != 0;

    /// <summary>Whether the window's contents are dropped (<see cref="TriggerResult.Purge"/> or <see cref="TriggerResult.FireAndPurge"/>).</summary>
    public static bool IsPurge(this TriggerResult result) => (result & TriggerResult.Purge) != 0;
}
