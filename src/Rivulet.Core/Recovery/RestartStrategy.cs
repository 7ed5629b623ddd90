namespace Rivulet.Core.Recovery;

/// <summary>Decides whether and when a failed job restarts (Flink's restart strategies).</summary>
public abstract class RestartStrategy
{
    /// <summary>Never restart: the first failure fails the job.</summary>
    public static RestartStrategy None() => new NoRestartStrategy();

    /// <summary>Restart up to <paramref name="attempts"/> times, waiting <paramref name="delay"/> each time.</summary>
    public static RestartStrategy FixedDelay(int attempts, TimeSpan delay) => new FixedDelayRestartStrategy(attempts, delay);

    /// <summary>
    /// Restart forever with a delay that grows from <paramref name="initialBackoff"/> by
    /// <paramref name="multiplier"/> up to <paramref name="maxBackoff"/>, and resets after the job ran
    /// for <paramref name="resetBackoffThreshold"/> without failing.
    /// </summary>
    public static RestartStrategy ExponentialDelay(TimeSpan initialBackoff, TimeSpan maxBackoff, double multiplier = 2.0, TimeSpan? resetBackoffThreshold = null) =>
        new ExponentialDelayRestartStrategy(initialBackoff, maxBackoff, multiplier, resetBackoffThreshold ?? TimeSpan.FromHours(1));

    /// <summary>Restart unless more than <paramref name="maxFailuresPerInterval"/> failures happen within <paramref name="interval"/>.</summary>
    public static RestartStrategy FailureRate(int maxFailuresPerInterval, TimeSpan interval, TimeSpan delay) =>
        new FailureRateRestartStrategy(maxFailuresPerInterval, interval, delay);

    /// <summary>A fresh decision state for one job execution.</summary>
    internal abstract IRestartBackoff CreateBackoff();

    /// <summary>The strategy and its settings in a few words, e.g. "fixed delay (3 attempts, 1000 ms)", for the error when it gives up.</summary>
    public abstract string Describe();
}

/// <summary>The mutable part of a restart strategy, for one job execution.</summary>
internal interface IRestartBackoff
{
    /// <summary>Called at each failure; returns the delay before restarting, or null to give up.</summary>
    TimeSpan? OnFailure(DateTimeOffset now, DateTimeOffset attemptStarted);
}

internal sealed class NoRestartStrategy : RestartStrategy
{
    internal override IRestartBackoff CreateBackoff() => new Backoff();

    public override string Describe() => "no restarts";

    private sealed class Backoff : IRestartBackoff
    {
        public TimeSpan? OnFailure(DateTimeOffset now, DateTimeOffset attemptStarted) => null;
    }
}

internal sealed class FixedDelayRestartStrategy : RestartStrategy
{
    private readonly int _attempts;
    private readonly TimeSpan _delay;

    public FixedDelayRestartStrategy(int attempts, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempts);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        _attempts = attempts;
        _delay = delay;
    }

    internal override IRestartBackoff CreateBackoff() => new Backoff(this);

    public override string Describe() => $"fixed delay ({_attempts} attempts, {_delay.TotalMilliseconds} ms)";

    private sealed class Backoff(FixedDelayRestartStrategy strategy) : IRestartBackoff
    {
        private int _restarts;

        public TimeSpan? OnFailure(DateTimeOffset now, DateTimeOffset attemptStarted) =>
            _restarts++ < strategy._attempts ? strategy._delay : null;
    }
}

internal sealed class ExponentialDelayRestartStrategy : RestartStrategy
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly double _multiplier;
    private readonly TimeSpan _reset;

    public ExponentialDelayRestartStrategy(TimeSpan initial, TimeSpan max, double multiplier, TimeSpan reset)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        ArgumentOutOfRangeException.ThrowIfLessThan(multiplier, 1.0);
        _initial = initial;
        _max = max;
        _multiplier = multiplier;
        _reset = reset;
    }

    internal override IRestartBackoff CreateBackoff() => new Backoff(this);

    public override string Describe() => $"exponential delay ({_initial.TotalMilliseconds}..{_max.TotalMilliseconds} ms, x{_multiplier})";

    private sealed class Backoff(ExponentialDelayRestartStrategy strategy) : IRestartBackoff
    {
        private TimeSpan? _last;

        public TimeSpan? OnFailure(DateTimeOffset now, DateTimeOffset attemptStarted)
        {
            if (_last is null || now - attemptStarted >= strategy._reset)
            {
                _last = strategy._initial;
            }
            else
            {
                var next = TimeSpan.FromTicks((long)Math.Min(_last.Value.Ticks * strategy._multiplier, strategy._max.Ticks));
                _last = next;
            }

            return _last;
        }
    }
}

internal sealed class FailureRateRestartStrategy : RestartStrategy
{
    private readonly int _maxFailures;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _delay;

    public FailureRateRestartStrategy(int maxFailures, TimeSpan interval, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFailures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _maxFailures = maxFailures;
        _interval = interval;
        _delay = delay;
    }

    internal override IRestartBackoff CreateBackoff() => new Backoff(this);

    public override string Describe() => $"failure rate ({_maxFailures} per {_interval.TotalMilliseconds} ms)";

    private sealed class Backoff(FailureRateRestartStrategy strategy) : IRestartBackoff
    {
        private readonly Queue<DateTimeOffset> _failures = new();

        public TimeSpan? OnFailure(DateTimeOffset now, DateTimeOffset attemptStarted)
        {
            _failures.Enqueue(now);
            while (_failures.Count > 0 && now - _failures.Peek() > strategy._interval)
            {
                _failures.Dequeue();
            }

            return _failures.Count > strategy._maxFailures ? null : strategy._delay;
        }
    }
}
