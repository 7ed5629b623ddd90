namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>What a window does after its trigger was asked (Flink's <c>TriggerResult</c>).</summary>
[Flags]
public enum TriggerResult
{
    /// <summary>Nothing happens.</summary>
    Continue = 0,

    /// <summary>The window's function runs over the current contents, which stay.</summary>
    Fire = 1,

    /// <summary>The window's contents are dropped without a result (its trigger state and the window itself stay until cleanup).</summary>
    Purge = 2,

    /// <summary>The window fires, then its contents are dropped.</summary>
    FireAndPurge = Fire | Purge,
}
