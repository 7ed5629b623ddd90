using System.Globalization;

namespace Rivulet.Cli.Demo;

/// <summary>Offsets per partition on a command line: <c>0=120,1=98,2=131,3=87</c>.</summary>
internal static class PartitionOffsetsArgument
{
    public static string Format(IReadOnlyDictionary<int, long> offsets) =>
        string.Join(',', offsets.OrderBy(o => o.Key).Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key}={o.Value}")));

    public static Dictionary<int, long> Parse(string text, string optionName)
    {
        var offsets = new Dictionary<int, long>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                || !offsets.TryAdd(partition, offset))
            {
                throw new ArgumentException($"{optionName} must be a list PARTITION=OFFSET,… with each partition once, not '{text}' (at '{item}').");
            }
        }

        return offsets;
    }
}
