namespace Rivulet.Benchmarks;

/// <summary>A <c>--name value</c> option of a benchmark.</summary>
internal sealed record BenchmarkOption(string Name, long Default, string Description);
