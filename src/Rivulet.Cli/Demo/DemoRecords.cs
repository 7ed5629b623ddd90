using System.Globalization;
using System.Text;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Source.Deserialization;

namespace Rivulet.Cli.Demo;

/// <summary>An input record of the demo: key <c>k&lt;i mod 1000&gt;</c>, value <c>i</c>.</summary>
internal sealed record DemoInput(string Key, long Index);

/// <summary>An output record: the input's key, and <c>i:count</c>.</summary>
internal sealed record DemoOutput(string Key, long Index, long Count);

internal sealed class DemoInputSchema : IKafkaDeserializationSchema<DemoInput>
{
    public DemoInput? Deserialize(KafkaRecord record)
    {
        var key = record.Key is null ? throw new FormatException("demo input records must have a key") : Encoding.UTF8.GetString(record.Key);
        var value = Encoding.UTF8.GetString(record.Value ?? []);
        return new DemoInput(key, long.Parse(value, CultureInfo.InvariantCulture));
    }
}

internal sealed class DemoOutputSchema : IKafkaSerializationSchema<DemoOutput>
{
    public KafkaProducerRecord Serialize(DemoOutput element, long? timestampMs) =>
        new(Encoding.UTF8.GetBytes(element.Key), Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{element.Index}:{element.Count}")));
}
