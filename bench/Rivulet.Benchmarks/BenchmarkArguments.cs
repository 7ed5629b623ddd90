using System.Globalization;

namespace Rivulet.Benchmarks;

/// <summary>The <c>--name value</c> options given after the benchmark's name, checked against what it accepts.</summary>
internal sealed class BenchmarkArguments
{
    private readonly Dictionary<string, long> _values;

    private BenchmarkArguments(Dictionary<string, long> values) => _values = values;

    public long this[string name] => _values[name];

    /// <summary>Parses <paramref name="args"/>; a name the benchmark does not know, or a value that is not a positive integer, is an error.</summary>
    public static BenchmarkArguments Parse(IBenchmark benchmark, IReadOnlyList<string> args)
    {
        var values = benchmark.Options.ToDictionary(o => o.Name, o => o.Default, StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (name, value) = arg.Split('=', 2) is [var n, var v] ? (n, v) : (arg, i + 1 < args.Count ? args[++i] : null);
            if (!name.StartsWith("--", StringComparison.Ordinal) || !values.ContainsKey(name[2..]))
            {
                throw new ArgumentException($"'{arg}' is not an option of the {benchmark.Name} benchmark; it takes {string.Join(", ", benchmark.Options.Select(o => "--" + o.Name))}.");
            }

            if (value is null || !long.TryParse(value.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                throw new ArgumentException($"Option {name} of the {benchmark.Name} benchmark needs a positive whole number, not '{value}'.");
            }

            values[name[2..]] = number;
        }

        return new BenchmarkArguments(values);
    }
}
