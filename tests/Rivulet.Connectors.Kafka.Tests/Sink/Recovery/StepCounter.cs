using Rivulet.Connectors.Kafka.Sink.Testing;

namespace Rivulet.Connectors.Kafka.Tests.Sink.Recovery;

/// <summary>
/// Counts the steps of one attempt — the script's checkpoint actions and every crash point the
/// writer reports inside its own operations — and kills the attempt (throws
/// <see cref="SimulatedCrash"/>) when the chosen step comes.
/// </summary>
/// <remarks>
/// A killed attempt's writer is abandoned, never closed: like a SIGKILLed process it sends nothing
/// more, aborts nothing and commits nothing; what it left open stays open at the broker.
/// </remarks>
internal sealed class StepCounter(int killAtStep) : ISinkCrashPoints
{
    public int Steps { get; private set; }

    /// <summary>What the step the attempt was killed at was.</summary>
    public string? KilledAt { get; private set; }

    public void Reached(string point, long checkpointId, int subtaskIndex) => Step(point);

    /// <summary>Counts one step; throws when it is the one to die at.</summary>
    public void Step(string what)
    {
        if (Steps++ == killAtStep)
        {
            KilledAt = what;
            throw new SimulatedCrash(what);
        }
    }
}

/// <summary>The process died here.</summary>
internal sealed class SimulatedCrash(string step) : Exception($"killed at {step}");
