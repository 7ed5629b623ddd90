using System.Text.Json;

namespace Rivulet.Core.State.Serialization;

/// <summary>Picks the serializer for a state type: built-ins for primitives, strings and byte arrays; JSON for plain classes.</summary>
public static class TypeSerializers
{
    /// <summary>The serializer for <typeparamref name="T"/>: binary for int, long, double, bool (also nullable), string and byte[]; System.Text.Json for other concrete types.</summary>
    /// <param name="owner">Who asks (operator and state), named in error messages.</param>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is an interface, abstract class, delegate or object, or JSON cannot read it back whole (a member without setter or constructor parameter); pass an <see cref="ITypeSerializer{T}"/> then.</exception>
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
            var t when t == typeof(int?) => new NullableSerializer<int>(new Int32Serializer()),
            var t when t == typeof(long?) => new NullableSerializer<long>(new Int64Serializer()),
            var t when t == typeof(double?) => new NullableSerializer<double>(new DoubleSerializer()),
            var t when t == typeof(bool?) => new NullableSerializer<bool>(new BooleanSerializer()),
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
