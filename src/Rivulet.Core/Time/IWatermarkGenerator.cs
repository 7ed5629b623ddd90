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
    void OnEvent(T element, long eventTimestamp, IWatermarkOutput output);

    void OnPeriodicEmit(IWatermarkOutput output);
}
