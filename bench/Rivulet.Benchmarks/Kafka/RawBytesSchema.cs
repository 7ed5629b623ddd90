using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Source.Deserialization;
using Rivulet.Core.Serialization;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>Record values as they are, both ways: the Kafka benchmarks measure moving records, not (de)serializing them.</summary>
internal sealed class RawBytesSchema : IDeserializationSchema<byte[]>, ISerializationSchema<byte[]>
{
    public byte[]? Deserialize(byte[]? message) => message;

    public byte[] Serialize(byte[] element) => element;
}
