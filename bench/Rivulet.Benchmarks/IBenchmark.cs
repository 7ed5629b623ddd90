namespace Rivulet.Benchmarks;

/// <summary>One benchmark the <c>rivulet bench NAME</c> command can run.</summary>
internal interface IBenchmark
{
    /// <summary>What follows <c>rivulet bench</c> on the command line.</summary>
    string Name { get; }

    /// <summary>One line: what it measures and against what.</summary>
    string Description { get; }

    /// <summary>The options it accepts, with their defaults, for the usage text.</summary>
    IReadOnlyList<BenchmarkOption> Options { get; }

    /// <summary>Runs it, printing progress and ending with one <c>RESULT name=…</c> line.</summary>
    Task RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken);
}
