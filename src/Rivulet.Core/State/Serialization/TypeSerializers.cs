using System.Text.Json;

namespace Rivulet.Core.State.Serialization;

/// <summary>Picks the serializer for a state type: built-ins for primitives, strings and byte arrays; JSON for plain classes.</summary>
public static class TypeSerializers
{
    public static ITypeSerializer<T> For<T>(string owner)
    {
        object serializer = typeof(T) switch
        {
            var t when t == typeof(int) => new Int32Serializer(),
            var t when t == typeof(long) => new Int64Serializer(),
            var t when t == typeof(double) => new DoubleSerializer(),
            var t when t == typeof(bool) => new BooleanSerializer(),
            var t when t == typeof(string) => new StringSerializer(),
            var t when t == typeof(byte[]) => new ByteArraySerializer(),
            _ => CheckedJson<T>(owner),
        };
        return (ITypeSerializer<T>)serializer;
    }

    private static JsonTypeSerializer<T> CheckedJson<T>(string owner)
    {
        var type = typeof(T);
        if (type.IsInterface || type.IsAbstract || typeof(Delegate).IsAssignableFrom(type) || type.IsPointer || type == typeof(object))
        {
            throw new InvalidOperationException(
                $"{owner}: state of type {type.FullName} cannot be serialized by Rivulet's built-in serializers " +
                "(interfaces, abstract classes, delegates and object are not supported). Use a concrete type or pass an ITypeSerializer<T>.");
        }

        // Fails now, naming the operator, rather than at the first checkpoint or restore.
        return JsonTypeSerializer<T>.Create(owner);
    }
}
