using Rivulet.Core.State;

namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>The context of <see cref="Trigger.OnMerge"/>: the merged window's, plus a way to carry state over from the merged-away windows.</summary>
public abstract class OnMergeContext : TriggerContext
{
    /// <summary>Adds the reducing state <paramref name="descriptor"/> names of every merged-away window into the merged window's (Flink's <c>mergePartitionedState</c>).</summary>
    public abstract void MergePartitionedState<T>(ReducingStateDescriptor<T> descriptor);
}
