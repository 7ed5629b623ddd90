using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Rivulet.Connectors.Kafka.Source.Metrics;

namespace Rivulet.Connectors.Kafka.Tests.Source;

/// <summary>Listens to the Kafka source's meter, keeping what concerns one operator: counter totals and the latest gauge per partition.</summary>
internal sealed class SourceMetricsListener : IDisposable
{
    private const string Prefix = "rivulet.kafka.source.";
    private readonly MeterListener _listener = new();
    private readonly string _operator;
    private readonly ConcurrentDictionary<string, long> _counters = new();
    private readonly ConcurrentDictionary<(string Name, string? Topic, int Partition), long> _gauges = new();

    public SourceMetricsListener(string operatorName)
    {
        _operator = operatorName;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == KafkaSourceMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Reads the observable gauges now.</summary>
    public void Collect() => _listener.RecordObservableInstruments();

    public long Counter(string name) => _counters.GetValueOrDefault(name);

    /// <summary>An observable instrument of the whole subtask (not per partition), or <see cref="long.MinValue"/> when never reported.</summary>
    public long Observed(string name) => Gauge(name, -1);

    /// <summary>The gauge's latest value for the partition (of any topic), or <see cref="long.MinValue"/> when never reported.</summary>
    public long Gauge(string name, int partition) => _gauges.Where(g => g.Key.Name == name && g.Key.Partition == partition).Select(g => g.Value).DefaultIfEmpty(long.MinValue).First();

    /// <summary>The gauge's latest value for the topic's partition, or <see cref="long.MinValue"/> when never reported.</summary>
    public long Gauge(string name, string topic, int partition) => _gauges.GetValueOrDefault((name, topic, partition), long.MinValue);

    /// <summary>The topics the gauge was reported for.</summary>
    public IReadOnlyCollection<string> TopicsOf(string name) => [.. _gauges.Keys.Where(k => k.Name == name && k.Topic is not null).Select(k => k.Topic!).Distinct()];

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? operatorName = null;
        string? topic = null;
        int? partition = null;
        foreach (var (key, tag) in tags)
        {
            switch (key)
            {
                case "operator":
                    operatorName = tag as string;
                    break;
                case "topic":
                    topic = tag as string;
                    break;
                case "partition":
                    partition = (int?)tag;
                    break;
            }
        }

        if (operatorName != _operator)
        {
            return;
        }

        var name = instrument.Name[Prefix.Length..];
        if (instrument.IsObservable)
        {
            _gauges[(name, topic, partition ?? -1)] = value;
        }
        else
        {
            _counters.AddOrUpdate(name, value, (_, total) => total + value);
        }
    }
}
