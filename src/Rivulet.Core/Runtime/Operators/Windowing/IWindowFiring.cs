using Rivulet.Core.State;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>The window operator's state while a window fires, as result functions see it.</summary>
internal interface IWindowFiring
{
    TimeWindow Window { get; }

    long CurrentWatermark { get; }

    long CurrentProcessingTime { get; }

    /// <summary>State of the firing key and window.</summary>
    IKeyedStateStore WindowState { get; }

    /// <summary>State of the firing key.</summary>
    IKeyedStateStore GlobalState { get; }

    void Output<TSide>(Api.OutputTag<TSide> tag, TSide value);
}
