namespace Rivulet.Benchmarks.Engine;

/// <summary>A key's running sum after one more reading.</summary>
internal readonly record struct KeyedSum(int Key, long Sum);
