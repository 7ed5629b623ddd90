using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Runtime.Timers;

/// <summary>The namespace of timers that belong to a key only (keyed process functions), not to a window.</summary>
internal readonly record struct VoidNamespace
{
    public static readonly ITypeSerializer<VoidNamespace> Serializer = new VoidNamespaceSerializer();

    private sealed class VoidNamespaceSerializer : ITypeSerializer<VoidNamespace>
    {
        public void Serialize(VoidNamespace value, BinaryWriter writer)
        {
        }

        public VoidNamespace Deserialize(BinaryReader reader) => default;
    }
}
