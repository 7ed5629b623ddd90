using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Rivulet.Connectors.Kafka.Sink.Metrics;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

/// <summary>
/// Listens to the Kafka sink's meter as a metrics exporter would (<see cref="MeterListener"/>),
/// keeping only the measurements of one operator: sums for counters, the latest value for
/// observable instruments.
/// </summary>
internal sealed class SinkMetricsRecorder : IDisposable
{
    private readonly string _operatorName;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();
    private readonly ConcurrentDictionary<(string Instrument, object? Subtask), long> _observed = new();

    public SinkMetricsRecorder(string operatorName)
    {
        _operatorName = operatorName;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == KafkaSinkMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>The sum of a counter's increments (0 when none was seen).</summary>
    public long Sum(string instrument) => _sums.GetValueOrDefault(instrument);

    /// <summary>Polls the observable instruments and returns the instrument's value summed over subtasks.</summary>
    public long Observe(string instrument)
    {
        _listener.RecordObservableInstruments();
        return _observed.Where(o => o.Key.Instrument == instrument).Sum(o => o.Value);
    }

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? operatorName = null;
        object? subtask = null;
        foreach (var (key, tagValue) in tags)
        {
            if (key == "operator")
            {
                operatorName = tagValue as string;
            }
            else if (key == "subtask")
            {
                subtask = tagValue;
            }
        }

        if (operatorName != _operatorName)
        {
            return;
        }

        if (instrument.IsObservable)
        {
            _observed[(instrument.Name, subtask)] = value;
        }
        else
        {
            _sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
        }
    }
}
