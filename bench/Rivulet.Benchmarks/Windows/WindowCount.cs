namespace Rivulet.Benchmarks.Windows;

/// <summary>What a fired window emits: its key, its end and how many events it held.</summary>
internal readonly record struct WindowCount(int Key, long WindowEnd, long Count);
