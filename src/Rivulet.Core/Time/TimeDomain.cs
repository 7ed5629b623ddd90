namespace Rivulet.Core.Time;

/// <summary>Which clock a timer follows.</summary>
public enum TimeDomain
{
    /// <summary>Fires when the watermark passes the timer's time.</summary>
    EventTime,

    /// <summary>Fires when processing time (the job's clock, Unix ms) reaches the timer's time.</summary>
    ProcessingTime,
}
