namespace Rivulet.Core.Recovery;

/// <summary>
/// A failure that restarting cannot heal — a configuration the client refuses, a setting the
/// brokers do not allow (Flink's <c>SuppressRestartsException</c>). Thrown (or found as an inner
/// exception) anywhere in a job, it fails the job at once whatever the restart strategy, instead
/// of restarting into the same error forever.
/// </summary>
public sealed class SuppressRestartsException(Exception cause) : Exception(cause.Message, cause)
{
    /// <summary>The exception itself or the first of its inner exceptions that suppresses restarts, if any.</summary>
    public static SuppressRestartsException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SuppressRestartsException suppress:
                    return suppress;
                case AggregateException aggregate:
                    foreach (var inner in aggregate.InnerExceptions)
                    {
                        if (Find(inner) is { } found)
                        {
                            return found;
                        }
                    }

                    return null;
            }
        }

        return null;
    }
}
