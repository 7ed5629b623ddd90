namespace Rivulet.Core.Runtime.Timers;

/// <summary>What a keyed operator does when one of its timers fires; the current key is already set.</summary>
internal interface ITimerTarget<in TKey, in TNamespace>
{
    void OnEventTime(TKey key, TNamespace timerNamespace, long time);

    void OnProcessingTime(TKey key, TNamespace timerNamespace, long time);
}
