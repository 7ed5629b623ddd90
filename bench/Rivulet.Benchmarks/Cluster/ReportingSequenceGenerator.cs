using System.Globalization;
using Rivulet.Benchmarks.Engine;
using Rivulet.Core.Api.Functions;

namespace Rivulet.Benchmarks.Cluster;

/// <summary>The engine benchmark's generator, printing "START unix-ms" when its subtask begins to emit.</summary>
internal sealed class ReportingSequenceGenerator(long count) : ISourceFunction<long>, IRichFunction, ICheckpointedFunction
{
    private readonly SequenceGenerator _generator = new(count);

    public void InitializeState(IFunctionInitializationContext context) => _generator.InitializeState(context);

    public void SnapshotState(IFunctionSnapshotContext context) => _generator.SnapshotState(context);

    public void Open(IRuntimeContext context) => _generator.Open(context);

    public void Close() => _generator.Close();

    public Task RunAsync(ISourceContext<long> context, CancellationToken cancellationToken)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"START {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}"));
        return _generator.RunAsync(context, cancellationToken);
    }
}
