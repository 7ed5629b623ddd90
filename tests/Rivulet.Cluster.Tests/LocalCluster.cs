using System.Net;
using System.Net.Sockets;

namespace Rivulet.Cluster.Tests;

/// <summary>
/// A JobManager and TaskManagers of the test job, each a process of its own on 127.0.0.1 (the
/// test job program in application mode), writing into one output directory.
/// </summary>
internal sealed class LocalCluster : IDisposable
{
    private readonly string _jobArguments;

    public LocalCluster(string jobArguments)
    {
        Root = Directory.CreateTempSubdirectory("rivulet-cluster-").FullName;
        Output = Path.Combine(Root, "lines");
        Checkpoints = Path.Combine(Root, "checkpoints");
        _jobArguments = jobArguments.Replace("{checkpoints}", Checkpoints, StringComparison.Ordinal);
        JobManagerPort = FreePort();
    }

    /// <summary>The cluster's directory: lines, checkpoints, savepoints.</summary>
    public string Root { get; }

    public string Output { get; }

    /// <summary>The checkpoint directory every process shares (the job arguments say <c>{checkpoints}</c> for it).</summary>
    public string Checkpoints { get; }

    /// <summary>Completed checkpoints (their directories hold <c>_metadata</c>).</summary>
    public IReadOnlyList<string> CompletedCheckpoints() =>
        Directory.Exists(Checkpoints) ? [.. Directory.EnumerateFiles(Checkpoints, "_metadata", SearchOption.AllDirectories)] : [];

    /// <summary>
    /// Per key, the highest running count the sinks wrote: the job's keyed state at its end. A
    /// process killed while writing may leave its last line torn; only whole "key,count" lines count
    /// (a torn count is a prefix of the real one, so smaller, and cannot raise the maximum).
    /// </summary>
    public Dictionary<string, long> FinalCounts() =>
        Lines().Values.SelectMany(l => l).Select(l => l.Split(','))
            .Where(p => p.Length == 2 && p[0].Length > 0 && long.TryParse(p[1], System.Globalization.CultureInfo.InvariantCulture, out _))
            .GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => g.Max(p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)));

    public int JobManagerPort { get; }

    public ChildProcess? JobManager { get; private set; }

    public List<ChildProcess> TaskManagers { get; } = [];

    public ChildProcess StartJobManager(string extra = "") =>
        JobManager = Start($"--rivulet-role jobmanager --rivulet-port {JobManagerPort} {extra}");

    public ChildProcess StartTaskManager(string extra = "")
    {
        var taskManager = Start($"--rivulet-role taskmanager --rivulet-join 127.0.0.1:{JobManagerPort} {extra}");
        TaskManagers.Add(taskManager);
        return taskManager;
    }

    /// <summary>Every line the job's sinks wrote, by file.</summary>
    public Dictionary<string, string[]> Lines() =>
        !Directory.Exists(Output) ? [] : Directory.EnumerateFiles(Output, "lines-*.txt").ToDictionary(path => Path.GetFileName(path), path => File.ReadAllLines(path));

    /// <summary>What every process printed, for failure messages.</summary>
    public string Logs() =>
        string.Join("\n", new[] { JobManager }.Concat(TaskManagers).OfType<ChildProcess>().Select((p, i) => $"--- process {i} ---\n{p.Output}"));

    public void Dispose()
    {
        foreach (var process in TaskManagers.Append(JobManager).OfType<ChildProcess>())
        {
            process.Dispose();
        }

        Directory.Delete(Root, recursive: true);
    }

    private ChildProcess Start(string role) =>
        ChildProcess.Start("Rivulet.Cluster.TestJob.dll", $"{_jobArguments} --out {Output} {role} --rivulet-heartbeat-ms 200 --rivulet-failure-timeout-ms 3000");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
