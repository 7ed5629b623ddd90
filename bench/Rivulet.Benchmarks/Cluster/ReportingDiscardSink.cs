using System.Globalization;
using Rivulet.Core.Api.Functions;

namespace Rivulet.Benchmarks.Cluster;

/// <summary>Drops what it receives and, when its subtask ends, prints "END unix-ms count" for the benchmark to add up across processes.</summary>
internal sealed class ReportingDiscardSink<T> : ISinkFunction<T>, IRichFunction
{
    private long _received;

    public void Open(IRuntimeContext context) => _received = 0;

    public void Invoke(T value, ISinkContext context) => _received++;

    public void Close() => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"END {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} {_received}"));
}
