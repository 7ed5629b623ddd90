using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Rivulet.Benchmarks.Engine;

namespace Rivulet.Benchmarks.Cluster;

/// <summary>
/// <c>rivulet bench cluster</c> (issue 13): the engine benchmark's keyed-sum job at p=2 with its two
/// subtasks on two TaskManager processes — records cross the network at the KeyBy — next to the
/// same job at p=2 in one process, in the same run. The cluster's time runs from the first source
/// subtask's start to the last sink subtask's end (process and cluster start-up excluded); its CPU
/// is that of all three processes over their whole life (start-up included). Every cluster round
/// starts new processes, whose hot loops are compiled and recompiled by tiered JIT while the job
/// runs, so a run must last many seconds to measure the steady state rather than the warm-up
/// (at 20M records the cluster measured 0.2 of the in-process job, at 200M 0.5).
/// </summary>
internal sealed class ClusterBenchmark : IBenchmark
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(5);

    public string Name => "cluster";

    public string Description => "generator -> Map -> KeyBy -> running sum -> discard, p=2 on two TaskManager processes, vs the same job at p=2 in one process";

    public IReadOnlyList<BenchmarkOption> Options { get; } =
    [
        new("records", 200_000_000, "records per run"),
        new("keys", 1_000, "distinct keys"),
        new("rounds", 3, "interleaved rounds; each contender's best run counts"),
    ];

    public async Task RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var records = arguments["records"];
        var keys = checked((int)arguments["keys"]);
        var rounds = checked((int)arguments["rounds"]);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cluster benchmark: {records:N0} records, {keys:N0} keys, p=2, {Environment.ProcessorCount} cores; {rounds} rounds alternating, best run of each counts"));

        var networkRates = new List<double>();
        var baseline = new Contender("in process", ct => KeyedSumJob.RunAsync(records, keys, 2, null, ct));
        var cluster = new Contender("cluster", async ct =>
        {
            var (figure, network) = await RunClusterAsync(records, keys, ct);
            networkRates.Add(network / Math.Max(figure.Elapsed.TotalSeconds, 1e-9));
            return figure;
        });
        var results = await new InterleavedRounds(rounds, output).RunAsync([baseline, cluster], cancellationToken);

        var throughput = results.BestRecordsPerSecond("cluster");
        var baselineThroughput = results.BestRecordsPerSecond("in process");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT name=cluster throughput={BenchmarkFigure.Whole(throughput)} baseline={BenchmarkFigure.Whole(baselineThroughput)} ratio={BenchmarkFigure.Ratio(throughput, baselineThroughput)} remote_records_per_s={BenchmarkFigure.Whole(networkRates.Max())}"));
    }

    private static async Task<(BenchmarkFigure Figure, long NetworkRecords)> RunClusterAsync(long records, int keys, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var job = $"--records {records} --keys {keys}";
        using var jobManager = new BenchClusterProcess($"{job} --rivulet-role jobmanager --rivulet-port {port}");
        using var first = new BenchClusterProcess($"{job} --rivulet-role taskmanager --rivulet-join 127.0.0.1:{port}");
        using var second = new BenchClusterProcess($"{job} --rivulet-role taskmanager --rivulet-join 127.0.0.1:{port}");
        var outputs = new[]
        {
            await jobManager.WaitAsync(ProcessTimeout, cancellationToken),
            await first.WaitAsync(ProcessTimeout, cancellationToken),
            await second.WaitAsync(ProcessTimeout, cancellationToken),
        };
        var lines = outputs.SelectMany(o => o.Split('\n')).Select(l => l.Trim().Split(' ')).ToList();
        long[] Values(string what, int index) => [.. lines.Where(p => p.Length > index && p[0] == what).Select(p => long.Parse(p[index], CultureInfo.InvariantCulture))];

        var received = Values("END", 2).Sum();
        if (received != records)
        {
            throw new InvalidOperationException($"the cluster's sinks received {received} of {records} records");
        }

        var elapsed = TimeSpan.FromMilliseconds(Values("END", 1).Max() - Values("START", 1).Min());
        var network = Values("NETWORK", 1).Sum();
        var figure = new BenchmarkFigure("rivulet p=2 on 2 TaskManager processes", records, elapsed, $"{network:N0} records crossed between the processes")
        {
            ProcessCpu = TimeSpan.FromMilliseconds(Values("CPU", 1).Sum()),
        };
        return (figure, network);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
