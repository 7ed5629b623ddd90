using Rivulet.Core.State.Serialization;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>A key and one of its windows: the key of per-window state (trigger state, a window function's window state).</summary>
internal readonly record struct WindowedKey<TKey>(TKey Key, TimeWindow Window);

/// <summary>Writes the key, then the window.</summary>
internal sealed class WindowedKeySerializer<TKey>(ITypeSerializer<TKey> keys) : ITypeSerializer<WindowedKey<TKey>>
{
    public void Serialize(WindowedKey<TKey> value, BinaryWriter writer)
    {
        keys.Serialize(value.Key, writer);
        TimeWindowSerializer.Instance.Serialize(value.Window, writer);
    }

    public WindowedKey<TKey> Deserialize(BinaryReader reader)
    {
        var key = keys.Deserialize(reader);
        return new WindowedKey<TKey>(key, TimeWindowSerializer.Instance.Deserialize(reader));
    }
}
