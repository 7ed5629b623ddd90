namespace Rivulet.Benchmarks;

/// <summary>A measured configuration: runs once per round and reports its figure.</summary>
internal sealed record Contender(string Name, Func<CancellationToken, Task<BenchmarkFigure>> RunAsync);
