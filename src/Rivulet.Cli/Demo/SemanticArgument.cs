using Rivulet.Connectors.Kafka.Sink;

namespace Rivulet.Cli.Demo;

/// <summary>The sink semantic on the command line: <c>exactly-once</c>, <c>at-least-once</c> or <c>none</c>.</summary>
internal static class SemanticArgument
{
    public static Semantic Parse(string value) => value.ToLowerInvariant() switch
    {
        "exactly-once" or "exactly_once" => Semantic.ExactlyOnce,
        "at-least-once" or "at_least_once" => Semantic.AtLeastOnce,
        "none" => Semantic.None,
        _ => throw new ArgumentException($"--semantic must be exactly-once, at-least-once or none, not '{value}'."),
    };

    public static string Format(Semantic semantic) => semantic switch
    {
        Semantic.ExactlyOnce => "exactly-once",
        Semantic.AtLeastOnce => "at-least-once",
        Semantic.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(semantic), semantic, "Unknown semantic."),
    };
}
