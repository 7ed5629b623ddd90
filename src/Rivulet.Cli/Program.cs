using System.CommandLine;
using Rivulet.Cli.Commands;

namespace Rivulet.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Rivulet: Flink-style stream processing with a Kafka connector, native to .NET.")
        {
            DemoCommand.Create(),
            TestBrokerCommand.Create(),
            Demo.DemoJobCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
