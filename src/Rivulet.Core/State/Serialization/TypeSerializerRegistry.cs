namespace Rivulet.Core.State.Serialization;

/// <summary>
/// The serializers a job registered for its record types (<see cref="Api.StreamExecutionEnvironment.RegisterTypeSerializer{T}"/>),
/// in front of the built-in choice of <see cref="TypeSerializers.For{T}"/>.
/// </summary>
internal sealed class TypeSerializerRegistry
{
    private readonly Dictionary<Type, object> _registered = [];

    public void Register<T>(ITypeSerializer<T> serializer) => _registered[typeof(T)] = serializer;

    /// <summary>The registered serializer of <typeparamref name="T"/>, else the built-in one.</summary>
    /// <param name="owner">Who asks, named in error messages.</param>
    public ITypeSerializer<T> For<T>(string owner) =>
        _registered.TryGetValue(typeof(T), out var serializer) ? (ITypeSerializer<T>)serializer : TypeSerializers.For<T>(owner);
}
