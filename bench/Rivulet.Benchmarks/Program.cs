namespace Rivulet.Benchmarks;

/// <summary><c>rivulet bench NAME [--option value …]</c>: runs one benchmark; without a known name, lists them.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == Cluster.ClusterBenchJob.Command)
        {
            // A process of the cluster benchmark's cluster, started by the benchmark itself.
            return await Cluster.ClusterBenchJob.RunAsync(args[1..]);
        }

        var benchmark = args.Length > 0 ? BenchmarkCatalog.Find(args[0]) : null;
        if (benchmark is null)
        {
            if (args.Length > 0 && args[0] is not ("help" or "--help" or "-h"))
            {
                await Console.Error.WriteLineAsync($"rivulet bench: there is no benchmark named '{args[0]}'.");
            }

            Usage(Console.Error);
            return args.Length > 0 && args[0] is ("help" or "--help" or "-h") ? 0 : 2;
        }

        BenchmarkArguments arguments;
        try
        {
            arguments = BenchmarkArguments.Parse(benchmark, args[1..]);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"rivulet bench: {e.Message}");
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        await benchmark.RunAsync(arguments, Console.Out, cancellation.Token);
        return 0;
    }

    private static void Usage(TextWriter output)
    {
        output.WriteLine("usage: rivulet bench NAME [--option value ...]");
        output.WriteLine();
        foreach (var benchmark in BenchmarkCatalog.All)
        {
            output.WriteLine($"  {benchmark.Name,-10} {benchmark.Description}");
            foreach (var option in benchmark.Options)
            {
                output.WriteLine($"      --{option.Name,-12} {option.Description} (default {option.Default:N0})");
            }
        }
    }
}
