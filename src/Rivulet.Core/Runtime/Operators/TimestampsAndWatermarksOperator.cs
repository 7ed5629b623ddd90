using Rivulet.Core.Time;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>
/// Applies a <see cref="WatermarkStrategy{T}"/> to a stream: assigns each element its timestamp,
/// feeds the generator, emits its watermarks (periodically on the subtask's processing-time
/// service, or from the generator's OnEvent) and its idleness. Watermarks from upstream are
/// replaced by this operator's own, except the final one that ends the input.
/// </summary>
internal sealed class TimestampsAndWatermarksOperator<T>(WatermarkStrategy<T> strategy, IOutput<T> output) : OneInputOperator<T, T>(output), IWatermarkOutput
{
    private IWatermarkGenerator<T> _generator = null!;
    private ITimestampAssigner<T> _assigner = null!;
    private long _currentWatermark = long.MinValue;
    private bool _idle;

    protected override object? UserFunction => null;

    public override void Open()
    {
        _generator = strategy.CreateWatermarkGenerator(Context.TimeProvider);
        _assigner = strategy.CreateTimestampAssigner();
        if (Context.AutoWatermarkInterval > TimeSpan.Zero)
        {
            Context.ProcessingTime.SchedulePeriodic(Context.AutoWatermarkInterval, _ => _generator.OnPeriodicEmit(this));
        }
        else if (strategy.IdleTimeout is not null)
        {
            throw new InvalidOperationException(
                $"Operator '{Context.OperatorName}': WithIdleness needs periodic watermarks, but the auto-watermark interval is zero; set StreamExecutionEnvironment.SetAutoWatermarkInterval.");
        }

        base.Open();
    }

    public override void ProcessElement(T value, long timestamp)
    {
        var assigned = _assigner.ExtractTimestamp(value, timestamp);
        if (_idle)
        {
            MarkActive();
        }

        Output.Collect(value, assigned);
        _generator.OnEvent(value, assigned, this);
    }

    public override void ProcessWatermark(long watermark)
    {
        if (watermark == long.MaxValue)
        {
            EmitWatermark(watermark);
        }
    }

    /// <summary>An idle upstream sends no elements; say so downstream until elements come again.</summary>
    public override void ProcessIdleness(bool idle)
    {
        if (idle)
        {
            MarkIdle();
        }
        else
        {
            MarkActive();
        }
    }

    public void EmitWatermark(long watermark)
    {
        if (watermark <= _currentWatermark)
        {
            return;
        }

        _currentWatermark = watermark;
        if (_idle)
        {
            MarkActive();
        }

        Output.EmitWatermark(watermark);
    }

    public void MarkIdle()
    {
        if (!_idle)
        {
            _idle = true;
            Output.EmitIdleness(true);
        }
    }

    public void MarkActive()
    {
        if (_idle)
        {
            _idle = false;
            Output.EmitIdleness(false);
        }
    }
}
