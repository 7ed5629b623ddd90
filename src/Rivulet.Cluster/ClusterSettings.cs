using System.Globalization;
using System.Net;

namespace Rivulet.Cluster;

/// <summary>
/// How one process takes part in a cluster. Every process runs the same job program; its role and
/// addresses come from here — in code, or from the command line with <see cref="FromCommandLine"/>.
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>The JobManager's default port (Flink's <c>jobmanager.rpc.port</c>).</summary>
    public const int DefaultJobManagerPort = 6123;

    /// <summary>This process's role.</summary>
    public ClusterRole Role { get; init; } = ClusterRole.TaskManager;

    /// <summary>The address this process binds to and is reached at (control and data), an IP address.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The control (Akka) port of this process; 0 picks a free one (usual for TaskManagers).</summary>
    public int Port { get; init; }

    /// <summary>The JobManager's host:port, which TaskManagers join (and the JobManager itself uses as the cluster's seed).</summary>
    public string JobManagerAddress { get; init; } = $"127.0.0.1:{DefaultJobManagerPort}";

    /// <summary>The data port of a TaskManager, where other TaskManagers send it records; 0 picks a free one.</summary>
    public int DataPort { get; init; }

    /// <summary>How many subtask slots a TaskManager offers; each slot runs one parallel instance of every operator chain (Flink's slot sharing).</summary>
    public int Slots { get; init; } = 1;

    /// <summary>How often cluster members send heartbeats.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long heartbeats may be missing before a member counts as failed: a lost TaskManager restarts the job after about this long.</summary>
    public TimeSpan FailureDetectionTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>How long the JobManager waits for enough slots before a start or restart fails the attempt (which the restart strategy then handles).</summary>
    public TimeSpan SlotWaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>With too few slots: wait for them, or rescale the job to what is there (<see cref="SlotShortagePolicy"/>).</summary>
    public SlotShortagePolicy SlotShortage { get; init; } = SlotShortagePolicy.WaitForSlots;

    /// <summary>With <see cref="SlotShortagePolicy.Rescale"/>: how long to wait for the full parallelism's slots before rescaling.</summary>
    public TimeSpan RescaleAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Reads the <c>--rivulet-*</c> arguments (others are left for the program):
    /// <c>--rivulet-role jobmanager|taskmanager</c>, <c>--rivulet-host IP</c>, <c>--rivulet-port N</c>,
    /// <c>--rivulet-join HOST:PORT</c> (the JobManager), <c>--rivulet-data-port N</c>, <c>--rivulet-slots N</c>,
    /// <c>--rivulet-heartbeat-ms N</c>, <c>--rivulet-failure-timeout-ms N</c>, <c>--rivulet-slot-wait-ms N</c>,
    /// <c>--rivulet-slot-shortage wait|rescale</c>, <c>--rivulet-rescale-after-ms N</c>.
    /// A JobManager's port defaults to <see cref="DefaultJobManagerPort"/>, or the port of <c>--rivulet-join</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An argument has no value or a bad one; the message names it.</exception>
    public static ClusterSettings FromCommandLine(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = new ClusterSettings();
        int? port = null;
        var joined = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--rivulet-", StringComparison.Ordinal))
            {
                continue;
            }

            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.", nameof(args));
            settings = name switch
            {
                "--rivulet-role" => settings with { Role = ParseRole(name, value) },
                "--rivulet-host" => settings with { Host = ParseAddress(name, value) },
                "--rivulet-port" => settings with { Port = (port = ParsePort(name, value)).Value },
                "--rivulet-join" => settings with { JobManagerAddress = ParseEndpoint(name, value, out joined) },
                "--rivulet-data-port" => settings with { DataPort = ParsePort(name, value) },
                "--rivulet-slots" => settings with { Slots = ParseNumber(name, value, 1, 1024) },
                "--rivulet-heartbeat-ms" => settings with { HeartbeatInterval = TimeSpan.FromMilliseconds(ParseNumber(name, value, 10, 600_000)) },
                "--rivulet-failure-timeout-ms" => settings with { FailureDetectionTimeout = TimeSpan.FromMilliseconds(ParseNumber(name, value, 100, 3_600_000)) },
                "--rivulet-slot-wait-ms" => settings with { SlotWaitTimeout = TimeSpan.FromMilliseconds(ParseNumber(name, value, 0, int.MaxValue)) },
                "--rivulet-slot-shortage" => settings with { SlotShortage = ParseShortage(name, value) },
                "--rivulet-rescale-after-ms" => settings with { RescaleAfter = TimeSpan.FromMilliseconds(ParseNumber(name, value, 0, int.MaxValue)) },
                _ => throw new ArgumentException(
                    $"Unknown argument {name}; known: --rivulet-role, --rivulet-host, --rivulet-port, --rivulet-join, --rivulet-data-port, --rivulet-slots, " +
                    "--rivulet-heartbeat-ms, --rivulet-failure-timeout-ms, --rivulet-slot-wait-ms, --rivulet-slot-shortage, --rivulet-rescale-after-ms.", nameof(args)),
            };
        }

        if (settings.Role == ClusterRole.JobManager)
        {
            // The JobManager is the seed: its own address unless --rivulet-join names it.
            settings = port is null
                ? settings with { Port = JobManagerPort(settings.JobManagerAddress) }
                : joined ? settings : settings with { JobManagerAddress = $"{settings.Host}:{settings.Port}" };
        }

        return settings;
    }

    internal static int JobManagerPort(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    internal static string JobManagerHost(string address) => address[..address.LastIndexOf(':')];

    private static ClusterRole ParseRole(string name, string value) => value.ToLowerInvariant() switch
    {
        "jobmanager" => ClusterRole.JobManager,
        "taskmanager" => ClusterRole.TaskManager,
        _ => throw new ArgumentException($"{name} must be jobmanager or taskmanager, not '{value}'.", nameof(name)),
    };

    private static SlotShortagePolicy ParseShortage(string name, string value) => value.ToLowerInvariant() switch
    {
        "wait" => SlotShortagePolicy.WaitForSlots,
        "rescale" => SlotShortagePolicy.Rescale,
        _ => throw new ArgumentException($"{name} must be wait or rescale, not '{value}'.", nameof(name)),
    };

    private static string ParseAddress(string name, string value) =>
        IPAddress.TryParse(value, out _) ? value : throw new ArgumentException($"{name} must be an IP address, not '{value}'.", nameof(name));

    private static int ParsePort(string name, string value) => ParseNumber(name, value, 0, 65535);

    private static string ParseEndpoint(string name, string value, out bool parsed)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"{name} must be HOST:PORT (the JobManager's address), not '{value}'.", nameof(name));
        }

        ParseAddress(name, value[..colon]);
        parsed = true;
        return value;
    }

    private static int ParseNumber(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{value}'.", nameof(name));
}
