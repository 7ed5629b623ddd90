using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>
/// What a window keeps per key while it is open — a reduced value, an aggregate's accumulator, or
/// all elements — and how elements and (for merging session windows) two windows combine.
/// </summary>
internal abstract class WindowContents<TIn, TAcc>
{
    /// <summary>Adds an element (with its timestamp, or NoTimestamp) to the window's contents; <paramref name="exists"/> is false for a new window.</summary>
    public abstract TAcc Add(TAcc contents, bool exists, TIn value, long timestamp);

    /// <summary>Whether the contents hold nothing any more (an evictor removed every element); the window's contents are then dropped.</summary>
    public virtual bool IsEmpty(TAcc contents) => false;

    public abstract TAcc Merge(TAcc a, TAcc b);

    public abstract ITypeSerializer<TAcc> CreateSerializer(string owner);

    /// <summary>The user's function behind the contents, if any (for its lifecycle).</summary>
    public virtual object? UserFunction => null;
}
