using System.Globalization;
using Microsoft.Extensions.Logging;
using Rivulet.Cluster;
using Rivulet.Cluster.TestJob;
using Rivulet.Core.Api;

// The cluster tests' job: numbers -> KeyBy(number % keys) -> running count per key -> one line per
// record into files, at parallelism 2 (so records cross between TaskManagers at the KeyBy).
// Own arguments: --records N (0 = unbounded), --keys K, --out DIR, --sink-delay-ms D, --variant NAME
// (another uid: another job graph); the --rivulet-* arguments say the process's role.
var options = Options.Parse(args);
using var logging = LoggerFactory.Create(builder => builder
    .AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss.fff ";
    })
    .SetMinimumLevel(Environment.GetEnvironmentVariable("RIVULET_TEST_LOG") == "debug" ? LogLevel.Debug : LogLevel.Information));
var env = StreamExecutionEnvironment.GetExecutionEnvironment(logging).SetParallelism(2);
env.AddSource(new NumberSource(options.Records)).Uid("numbers")
    .KeyBy(number => number % options.Keys)
    .Process(new RunningCount()).Uid(options.Variant is null ? "count" : $"count-{options.Variant}")
    .AddSink(new LineFileSink(options.Out, options.SinkDelay)).Uid("lines");
try
{
    await env.ExecuteOnClusterAsync("cluster-test", ClusterSettings.FromCommandLine(args));
    Console.WriteLine("EXIT ok");
    return 0;
}
catch (Exception e)
{
    Console.WriteLine($"EXIT failed: {e.Message}");
    return 1;
}

namespace Rivulet.Cluster.TestJob
{
    internal sealed record Options(long Records, long Keys, string Out, TimeSpan SinkDelay, string? Variant)
    {
        public static Options Parse(string[] args)
        {
            string? Value(string name)
            {
                var index = Array.IndexOf(args, name);
                return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
            }

            return new Options(
                long.Parse(Value("--records") ?? "10000", CultureInfo.InvariantCulture),
                long.Parse(Value("--keys") ?? "10", CultureInfo.InvariantCulture),
                Value("--out") ?? Path.Combine(Path.GetTempPath(), "rivulet-cluster-test"),
                TimeSpan.FromMilliseconds(double.Parse(Value("--sink-delay-ms") ?? "0", CultureInfo.InvariantCulture)),
                Value("--variant"));
        }
    }
}
