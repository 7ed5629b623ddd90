namespace Rivulet.Core.Runtime.Timers;

/// <summary>A timer of one key: its time and its namespace (the window it belongs to, for window operators).</summary>
internal readonly record struct TimerKey<TNamespace>(long Time, TNamespace Namespace);
