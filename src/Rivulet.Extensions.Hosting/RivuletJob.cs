using Rivulet.Core.Api;

namespace Rivulet.Extensions.Hosting;

/// <summary>
/// A job the host runs: its client once started. Resolve it as a keyed service by job name
/// (<c>[FromKeyedServices("orders")] RivuletJob job</c>) to read its checkpoints and counters.
/// </summary>
public sealed class RivuletJob
{
    private JobClient? _client;
    private long _startedAtMs = -1;

    internal RivuletJob(string name) => Name = name;

    /// <summary>The job's name.</summary>
    public string Name { get; }

    /// <summary>The running (or ended) job; null before the host started it.</summary>
    public JobClient? Client => Volatile.Read(ref _client);

    /// <summary>When the host started the job; null before.</summary>
    public DateTimeOffset? StartedAt => Interlocked.Read(ref _startedAtMs) is var ms and >= 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The savepoint or checkpoint this start restored (the newer of the two), or null for a start from scratch.</summary>
    public Core.Checkpointing.CompletedCheckpoint? RestoredFrom { get; internal set; }

    /// <summary>The savepoint the host took when it stopped the job, if it took one.</summary>
    public Core.Checkpointing.CompletedCheckpoint? ShutdownSavepoint { get; internal set; }

    internal void Started(JobClient client, DateTimeOffset at)
    {
        Interlocked.Exchange(ref _startedAtMs, at.ToUnixTimeMilliseconds());
        Volatile.Write(ref _client, client);
    }
}
