using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.Operators.Windowing;
using Rivulet.Core.Time.Windows;
using Rivulet.Core.Time.Windows.Evictors;
using Rivulet.Core.Time.Windows.Triggers;

namespace Rivulet.Core.Api;

/// <summary>
/// A keyed stream cut into windows (Flink's <c>WindowedStream</c>); a window function turns each
/// fired window into results, emitted with the window's max timestamp.
/// </summary>
public sealed class WindowedStream<TKey, T>
    where TKey : notnull
{
    private readonly KeyedStream<TKey, T> _input;
    private readonly Func<T, TKey> _keySelector;
    private readonly WindowAssigner _assigner;
    private TimeSpan _allowedLateness = TimeSpan.Zero;
    private OutputTag<T>? _lateDataTag;
    private Trigger? _trigger;
    private Evictor? _evictor;

    internal WindowedStream(KeyedStream<TKey, T> input, Func<T, TKey> keySelector, WindowAssigner assigner)
    {
        _input = input;
        _keySelector = keySelector;
        _assigner = assigner;
    }

    /// <summary>
    /// Keeps event-time windows this long after the watermark passed their end: a late element in
    /// that time fires its window again, with the element added (default zero).
    /// </summary>
    public WindowedStream<TKey, T> AllowedLateness(TimeSpan lateness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lateness, TimeSpan.Zero);
        _allowedLateness = lateness;
        return this;
    }

    /// <summary>Elements too late for every window they belong to go to <paramref name="tag"/> instead of being dropped.</summary>
    public WindowedStream<TKey, T> SideOutputLateData(OutputTag<T> tag)
    {
        _lateDataTag = tag ?? throw new ArgumentNullException(nameof(tag));
        return this;
    }

    /// <summary>
    /// Decides when windows fire and purge instead of the assigner's default trigger (Flink's
    /// <c>trigger</c>), e.g. <c>CountTrigger.Of(100)</c> or <c>ContinuousEventTimeTrigger.Of(TimeSpan.FromMinutes(1))</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The trigger handles another element type, or the windows merge (session windows) and the trigger cannot merge.</exception>
    public WindowedStream<TKey, T> Trigger(Trigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (trigger.ElementType is { } type && !type.IsAssignableFrom(typeof(T)))
        {
            throw new ArgumentException($"Trigger {trigger} handles {type.Name} elements; this window holds {typeof(T).Name}.", nameof(trigger));
        }

        if (_assigner.IsMerging && !trigger.CanMerge)
        {
            throw new ArgumentException($"Trigger {trigger} cannot merge windows (CanMerge is false); {_assigner.GetType().Name} merges them.", nameof(trigger));
        }

        _trigger = trigger;
        return this;
    }

    /// <summary>
    /// Removes elements from a window when it fires, before or after its function (Flink's
    /// <c>evictor</c>), e.g. <c>CountEvictor.Of(100)</c>. The window then keeps every element, and a
    /// Reduce or Aggregate runs over what is left at each firing.
    /// </summary>
    /// <exception cref="ArgumentException">The evictor handles another element type.</exception>
    public WindowedStream<TKey, T> Evictor(Evictor evictor)
    {
        ArgumentNullException.ThrowIfNull(evictor);
        if (evictor.ElementType is { } type && type != typeof(T))
        {
            throw new ArgumentException($"Evictor {evictor} handles {type.Name} elements; this window holds {typeof(T).Name}.", nameof(evictor));
        }

        _evictor = evictor;
        return this;
    }

    /// <summary>Reduces each window's elements to one value with <paramref name="reduce"/> as they arrive; emits it when the window fires.</summary>
    public DataStream<T> Reduce(Func<T, T, T> reduce) => Reduce(new LambdaReduce<T>(reduce ?? throw new ArgumentNullException(nameof(reduce))));

    /// <summary>Reduces each window's elements to one value as they arrive; emits it when the window fires.</summary>
    public DataStream<T> Reduce(IReduceFunction<T> reduce)
    {
        ArgumentNullException.ThrowIfNull(reduce);
        return Build("Window(Reduce)", () => new ReducingWindowContents<T>(FunctionCloner.Clone(reduce)), () => new ContentsAsResult<T, TKey>());
    }

    /// <summary>Reduces incrementally, then hands the one reduced value to <paramref name="function"/> with the window.</summary>
    public DataStream<TOut> Reduce<TOut>(IReduceFunction<T> reduce, ProcessWindowFunction<T, TOut, TKey> function)
    {
        ArgumentNullException.ThrowIfNull(reduce);
        ArgumentNullException.ThrowIfNull(function);
        return Build("Window(Reduce, Process)", () => new ReducingWindowContents<T>(FunctionCloner.Clone(reduce)),
            () => new ProcessWindowResult<T, T, TOut, TKey>(value => [value], FunctionCloner.Clone(function)));
    }

    /// <summary>Aggregates each window incrementally in an accumulator; emits the aggregate's result.</summary>
    public DataStream<TOut> Aggregate<TAcc, TOut>(IAggregateFunction<T, TAcc, TOut> aggregate)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        return Build<TAcc, TOut>("Window(Aggregate)", () => new AggregatingWindowContents<T, TAcc, TOut>(FunctionCloner.Clone(aggregate)),
            contents => new AggregateResult<T, TAcc, TOut, TKey>(((AggregatingWindowContents<T, TAcc, TOut>)contents).Aggregate));
    }

    /// <summary>Aggregates incrementally, then hands the aggregate's result to <paramref name="function"/> with the window.</summary>
    public DataStream<TOut> Aggregate<TAcc, TValue, TOut>(IAggregateFunction<T, TAcc, TValue> aggregate, ProcessWindowFunction<TValue, TOut, TKey> function)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        ArgumentNullException.ThrowIfNull(function);
        return Build<TAcc, TOut>("Window(Aggregate, Process)", () => new AggregatingWindowContents<T, TAcc, TValue>(FunctionCloner.Clone(aggregate)),
            contents =>
            {
                var clone = ((AggregatingWindowContents<T, TAcc, TValue>)contents).Aggregate;
                return new ProcessWindowResult<TAcc, TValue, TOut, TKey>(accumulator => [clone.GetResult(accumulator)], FunctionCloner.Clone(function));
            });
    }

    /// <summary>Keeps every element of a window and hands them all to <paramref name="function"/> when it fires.</summary>
    public DataStream<TOut> Process<TOut>(ProcessWindowFunction<T, TOut, TKey> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Build("Window(Process)", () => new ListWindowContents<T>(),
            () => new ProcessWindowResult<List<T>, T, TOut, TKey>(elements => elements, FunctionCloner.Clone(function)));
    }

    private DataStream<TOut> Build<TAcc, TOut>(string name, Func<WindowContents<T, TAcc>> contents, Func<WindowResult<TAcc, TOut, TKey>> result) =>
        Build(name, contents, _ => result());

    /// <summary>
    /// One operator per subtask, each with its own copies of the user's functions (and trigger and
    /// evictor). The assigner's own default trigger without an evictor runs in the operator that has
    /// it built in; anything else in the trigger-driven one.
    /// </summary>
    private DataStream<TOut> Build<TAcc, TOut>(string name, Func<WindowContents<T, TAcc>> contents, Func<WindowContents<T, TAcc>, WindowResult<TAcc, TOut, TKey>> result)
    {
        var assigner = _assigner;
        var lateness = _allowedLateness;
        var lateTag = _lateDataTag;
        var keySelector = _keySelector;
        var trigger = _trigger ?? assigner.DefaultTrigger;
        var evictor = _evictor;
        if (evictor is null && (assigner.IsEventTime ? trigger is EventTimeTrigger : trigger is ProcessingTimeTrigger))
        {
            return _input.Keyed<TOut>(name, output =>
            {
                var windowContents = contents();
                return new WindowOperator<TKey, T, TAcc, TOut>(keySelector, assigner, windowContents, result(windowContents), lateness, lateTag, output);
            });
        }

        var described = $"{name}, {trigger}{(evictor is null ? "" : $", {evictor}")}";
        if (evictor is null)
        {
            return _input.Keyed<TOut>(described, output =>
            {
                var windowContents = contents();
                return new TriggerWindowOperator<TKey, T, TAcc, TOut>(keySelector, assigner, FunctionCloner.Clone(trigger), windowContents, result(windowContents), lateness, lateTag, output);
            });
        }

        return _input.Keyed<TOut>(described, output =>
        {
            var evicting = new EvictingWindowContents<T, TAcc>(contents());
            var evictingResult = new EvictingWindowResult<T, TAcc, TOut, TKey>(FunctionCloner.Clone(evictor), evicting, result(evicting.Inner));
            return new TriggerWindowOperator<TKey, T, List<TimestampedValue<T>>, TOut>(
                keySelector, assigner, FunctionCloner.Clone(trigger), evicting, evictingResult, lateness, lateTag, output);
        });
    }
}
