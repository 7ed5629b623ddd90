using Rivulet.Core.Checkpointing;

namespace Rivulet.Extensions.Hosting;

/// <summary>
/// The savepoints a hosted job writes on shutdown, one sub-directory each, and the choice of what a
/// start restores: the newer of the job's latest savepoint and its latest checkpoint. Checkpoint
/// and savepoint ids come from one counter per job, so the higher id is the later state.
/// </summary>
internal static class SavepointDirectory
{
    /// <summary>A new, unused savepoint path for <paramref name="jobName"/> under <paramref name="root"/>.</summary>
    public static string NewPath(string root, string jobName, DateTimeOffset now) =>
        Path.Combine(Path.GetFullPath(root), $"savepoint-{jobName}-{now:yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid().ToString("N")[..6]}");

    /// <summary>The completed savepoint of <paramref name="jobName"/> with the highest checkpoint id under <paramref name="root"/>, if any.</summary>
    public static (string Path, long CheckpointId)? Latest(string root, string jobName)
    {
        if (!Directory.Exists(root))
        {
            return null;
        }

        (string Path, long CheckpointId)? latest = null;
        foreach (var directory in Directory.EnumerateDirectories(root))
        {
            if (!File.Exists(Path.Combine(directory, CheckpointStorage.MetadataFileName)))
            {
                continue; // never completed: a savepoint counts only once its metadata is in place
            }

            var metadata = CheckpointStorage.ReadMetadata(directory);
            if (metadata.IsSavepoint && metadata.JobName == jobName && (latest is null || metadata.CheckpointId > latest.Value.CheckpointId))
            {
                latest = (Path.GetFullPath(directory), metadata.CheckpointId);
            }
        }

        return latest;
    }
}
