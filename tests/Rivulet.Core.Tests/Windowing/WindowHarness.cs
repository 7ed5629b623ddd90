using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.Operators;
using Rivulet.Core.Runtime.Operators.Windowing;
using Rivulet.Core.State;
using Rivulet.Core.Tests.Harness;
using Rivulet.Core.Time.Windows;
using Rivulet.Core.Time.Windows.Evictors;
using Rivulet.Core.Time.Windows.Triggers;

namespace Rivulet.Core.Tests.Windowing;

/// <summary>
/// Window operators over "key:value" strings in an operator test harness, with a process window
/// function that labels each firing "key window [values]".
/// </summary>
internal static class WindowHarness
{
    public static OperatorTestHarness<string> Create(WindowAssigner assigner, Trigger trigger, Evictor? evictor = null,
        ProcessWindowFunction<string, string, string>? function = null, TimeSpan lateness = default, IReadOnlyList<byte[]>? restoreFrom = null) =>
        new(Factory(assigner, trigger, evictor, function ?? new Label(), lateness), OperatorTestHarness<string>.Keyed<string>(), restoreFrom: restoreFrom);

    /// <summary>The operator a job gets for the assigner's default trigger (no trigger object, timers registered per window).</summary>
    public static OperatorTestHarness<string> WithDefaultTrigger(WindowAssigner assigner, ProcessWindowFunction<string, string, string> function, TimeSpan lateness = default) =>
        new(output => new WindowOperator<string, string, List<string>, string>(KeyOf, assigner, new ListWindowContents<string>(),
                new ProcessWindowResult<List<string>, string, string, string>(e => e, function), lateness, null, output),
            OperatorTestHarness<string>.Keyed<string>());

    public static string KeyOf(string element) => element.Split(':')[0];

    public static string ValueOf(string element) => element.Split(':')[1];

    /// <summary>How many keys hold an entry in each of the operator's states (its own, trigger and window state included).</summary>
    public static IReadOnlyDictionary<string, long> StateEntries(OperatorTestHarness<string> harness) =>
        ((HeapKeyedStateBackend<string>)harness.Operator.Context.KeyedBackend!).EntryCounts();

    /// <summary>Every state of the operator is empty: nothing left behind for any key.</summary>
    public static void AssertNoStateLeft(OperatorTestHarness<string> harness)
    {
        var left = StateEntries(harness).Where(e => e.Value > 0).Select(e => $"{e.Key}: {e.Value}").ToList();
        Assert.True(left.Count == 0, $"state left behind: {string.Join(", ", left)}");
    }

    private static Func<IOutput<string>, StreamOperator> Factory(WindowAssigner assigner, Trigger trigger, Evictor? evictor,
        ProcessWindowFunction<string, string, string> function, TimeSpan lateness)
    {
        var result = new ProcessWindowResult<List<string>, string, string, string>(e => e, function);
        if (evictor is null)
        {
            return output => new TriggerWindowOperator<string, string, List<string>, string>(KeyOf, assigner, trigger, new ListWindowContents<string>(), result, lateness, null, output);
        }

        return output =>
        {
            var evicting = new EvictingWindowContents<string, List<string>>(new ListWindowContents<string>());
            return new TriggerWindowOperator<string, string, List<TimestampedValue<string>>, string>(KeyOf, assigner, trigger, evicting,
                new EvictingWindowResult<string, List<string>, string, string>(evictor, evicting, result), lateness, null, output);
        };
    }

    /// <summary>"key window [v1,v2,…]".</summary>
    public sealed class Label : ProcessWindowFunction<string, string, string>
    {
        public override void Process(string key, Context context, IEnumerable<string> elements, ICollector<string> output) =>
            output.Collect($"{key} {context.Window} [{string.Join(",", elements.Select(ValueOf))}]");
    }
}
