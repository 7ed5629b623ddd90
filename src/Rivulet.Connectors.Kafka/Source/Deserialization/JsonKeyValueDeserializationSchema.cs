using System.Text.Json.Nodes;

namespace Rivulet.Connectors.Kafka.Source.Deserialization;

/// <summary>
/// Key and value as JSON, in one object (Flink's <c>JSONKeyValueDeserializationSchema</c>):
/// <c>{"key": …, "value": …, "metadata": {"topic": …, "partition": …, "offset": …, "timestamp": …}}</c>.
/// A missing key or value is absent from the object; metadata only when asked for.
/// </summary>
public sealed class JsonKeyValueDeserializationSchema(bool includeMetadata) : IKafkaDeserializationSchema<JsonObject>
{
    /// <inheritdoc />
    public JsonObject? Deserialize(KafkaRecord record)
    {
        var node = new JsonObject();
        if (record.Key is { Length: > 0 } key)
        {
            node["key"] = JsonNode.Parse(key);
        }

        if (record.Value is { Length: > 0 } value)
        {
            node["value"] = JsonNode.Parse(value);
        }

        if (includeMetadata)
        {
            node["metadata"] = new JsonObject
            {
                ["topic"] = record.Topic,
                ["partition"] = record.Partition,
                ["offset"] = record.Offset,
                ["timestamp"] = record.TimestampMs,
            };
        }

        return node;
    }
}
