namespace Rivulet.Core.Time;

/// <summary>
/// Generates watermarks from the elements it sees (Flink's <c>WatermarkGenerator</c>). A
/// punctuated generator emits from <see cref="OnEvent"/>; a periodic one remembers what it saw and
/// emits from <see cref="OnPeriodicEmit"/>, which runs every auto-watermark interval
/// (<see cref="Api.StreamExecutionEnvironment.SetAutoWatermarkInterval"/>). One instance per
/// parallel subtask (and per Kafka partition inside the Kafka source); it needs no locks.
/// </summary>
public interface IWatermarkGenerator<in T>
{
    /// <summary>Called for each element after its timestamp was assigned; a punctuated generator may emit a watermark to <paramref name="output"/> here.</summary>
    /// <param name="element">The element.</param>
    /// <param name="eventTimestamp">Its assigned event timestamp (Unix ms).</param>
    /// <param name="output">Where to emit watermarks or idleness.</param>
    void OnEvent(T element, long eventTimestamp, IWatermarkOutput output);

    /// <summary>Called every auto-watermark interval; a periodic generator emits its current watermark to <paramref name="output"/> here.</summary>
    void OnPeriodicEmit(IWatermarkOutput output);
}
