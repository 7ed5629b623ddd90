using Microsoft.Extensions.Logging;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>
/// How an event-time operator drops an element behind the watermark: counted in
/// <see cref="JobMetrics.LateRecordsDropped"/>, and logged once per operator instance (later drops only counted).
/// </summary>
internal sealed class LateElementDrops(OperatorContext context, ILogger logger, string advice)
{
    private bool _warned;

    public void Dropped(long timestamp, long watermark)
    {
        context.Metrics.LateRecordDropped();
        if (_warned)
        {
            return;
        }

        _warned = true;
        logger.LogWarning(
            "Operator '{Operator}' dropped a late element (timestamp {Timestamp}, watermark {Watermark}); further drops are only counted (JobMetrics.LateRecordsDropped).{Advice}",
            context.TaskNameWithSubtasks, timestamp, watermark, advice);
    }
}
