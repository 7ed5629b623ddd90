using System.Diagnostics;
using System.Globalization;
using Rivulet.Benchmarks.Engine;
using Rivulet.Cluster;
using Rivulet.Core.Api;
using Rivulet.Core.Recovery;

namespace Rivulet.Benchmarks.Cluster;

/// <summary>
/// <c>rivulet-bench cluster-job --records N --keys K --rivulet-…</c>: the engine benchmark's job
/// (generator → Map → KeyBy → running sum → discard, p=2) as one process of a cluster — the
/// program the cluster benchmark starts as JobManager and TaskManagers. Prints "NETWORK records"
/// (received from other TaskManagers) and "CPU ms" (this process's CPU time) when it ends.
/// </summary>
internal static class ClusterBenchJob
{
    public const string Command = "cluster-job";

    public static async Task<int> RunAsync(string[] args)
    {
        var records = long.Parse(Value(args, "--records"), CultureInfo.InvariantCulture);
        var keys = int.Parse(Value(args, "--keys"), CultureInfo.InvariantCulture);
        // A benchmark run must not restart quietly and count records twice: any failure ends it.
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2).SetRestartStrategy(RestartStrategy.None());
        env.RegisterTypeSerializer(new ReadingSerializer());
        env.AddSource(new ReportingSequenceGenerator(records), "Generator")
            .Map(sequence => Reading.From(sequence, keys))
            .KeyBy(reading => reading.Key)
            .Process(new RunningSum())
            .Name("Running sum")
            .AddSink(new ReportingDiscardSink<KeyedSum>(), "Discard");
        var process = env.StartOnCluster("bench-cluster", ClusterSettings.FromCommandLine(args));
        await using (process)
        {
            try
            {
                await process.Completion;
            }
            finally
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"NETWORK {process.RecordsReceivedOverNetwork}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU {(long)Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds}"));
            }
        }

        return 0;
    }

    private static string Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : throw new ArgumentException($"{Command} needs {name}.");
    }
}
