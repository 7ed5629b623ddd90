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
    private readonly ConcurrentDictionary<(string Name, int Partition), long> _gauges = new();

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

    public long Gauge(string name, int partition) => _gauges.TryGetValue((name, partition), out var value) ? value : long.MinValue;

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? operatorName = null;
        int? partition = null;
        foreach (var (key, tag) in tags)
        {
            switch (key)
            {
                case "operator":
                    operatorName = tag as string;
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
        if (instrument is ObservableGauge<long>)
        {
            _gauges[(name, partition ?? -1)] = value;
        }
        else
        {
            _counters.AddOrUpdate(name, value, (_, total) => total + value);
        }
    }
}
