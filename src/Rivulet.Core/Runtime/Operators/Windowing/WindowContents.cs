using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>
/// What a window keeps per key while it is open — a reduced value, an aggregate's accumulator, or
/// all elements — and how elements and (for merging session windows) two windows combine.
/// </summary>
internal abstract class WindowContents<TIn, TAcc>
{
    /// <summary>Adds an element to the window's contents; <paramref name="exists"/> is false for a new window.</summary>
    public abstract TAcc Add(TAcc contents, bool exists, TIn value);

    public abstract TAcc Merge(TAcc a, TAcc b);

    public abstract ITypeSerializer<TAcc> CreateSerializer(string owner);

    /// <summary>The user's function behind the contents, if any (for its lifecycle).</summary>
    public virtual object? UserFunction => null;
}
