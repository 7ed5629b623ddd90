using System.Text.Json;

namespace Rivulet.Core.Checkpointing;

/// <summary>
/// Checkpoints in a directory: <c>&lt;root&gt;/chk-&lt;n&gt;/</c> with one state file per operator
/// subtask and a <c>_metadata</c> file written last (temp file, fsync, rename, fsync of the
/// directory) — a directory
/// without <c>_metadata</c> is an incomplete checkpoint and is never restored from.
/// </summary>
public sealed class CheckpointStorage
{
    public const string MetadataFileName = "_metadata";
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public CheckpointStorage(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string DirectoryFor(long checkpointId) => Path.Combine(Root, $"chk-{checkpointId}");

    /// <summary>Writes one operator subtask's state; returns its path relative to the checkpoint directory.</summary>
    public static string WriteStateFile(string checkpointDirectory, string operatorUid, int subtaskIndex, byte[] state)
    {
        var relative = $"{Sanitize(operatorUid)}-{subtaskIndex}.state";
        Directory.CreateDirectory(checkpointDirectory);
        var path = Path.Combine(checkpointDirectory, relative);
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.WriteThrough))
        {
            file.Write(state);
            file.Flush(flushToDisk: true);
        }

        return relative;
    }

    /// <summary>Completes a checkpoint: the metadata file appears atomically.</summary>
    public static void WriteMetadata(string checkpointDirectory, CheckpointMetadata metadata)
    {
        Directory.CreateDirectory(checkpointDirectory);
        var temp = Path.Combine(checkpointDirectory, MetadataFileName + ".tmp");
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, metadata, JsonOptions);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, Path.Combine(checkpointDirectory, MetadataFileName), overwrite: true);

        // The names must survive a machine crash too: the state files and _metadata in the
        // checkpoint's directory, and the directory itself in the checkpoints' root.
        DirectorySync.Flush(checkpointDirectory);
        if (Path.GetDirectoryName(Path.GetFullPath(checkpointDirectory)) is { } parent)
        {
            DirectorySync.Flush(parent);
        }
    }

    public static CheckpointMetadata ReadMetadata(string checkpointOrSavepointPath)
    {
        var path = Directory.Exists(checkpointOrSavepointPath)
            ? Path.Combine(checkpointOrSavepointPath, MetadataFileName)
            : checkpointOrSavepointPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{checkpointOrSavepointPath}' is not a completed checkpoint or savepoint: {path} does not exist.", path);
        }

        using var file = File.OpenRead(path);
        var metadata = JsonSerializer.Deserialize<CheckpointMetadata>(file)
            ?? throw new InvalidDataException($"{path} is empty.");
        if (metadata.Version != CheckpointMetadata.CurrentVersion)
        {
            throw new InvalidDataException($"{path} has metadata version {metadata.Version}; this Rivulet reads version {CheckpointMetadata.CurrentVersion}.");
        }

        return metadata;
    }

    /// <summary>
    /// The highest id of any checkpoint directory here, complete or not (0 when none): a job's new
    /// checkpoints are numbered above it, so they never replace (or get pruned before) earlier ones.
    /// </summary>
    public long HighestCheckpointId() =>
        !Directory.Exists(Root)
            ? 0
            : Directory.EnumerateDirectories(Root, "chk-*")
                .Select(dir => long.TryParse(Path.GetFileName(dir)[4..], out var id) ? id : 0)
                .DefaultIfEmpty(0)
                .Max();

    /// <summary>The completed checkpoint with the highest id, if any.</summary>
    public CompletedCheckpoint? FindLatestCompleted() => ListCompleted().LastOrDefault();

    public IReadOnlyList<CompletedCheckpoint> ListCompleted()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(Root, "chk-*")
            .Select(dir => (Dir: dir, Id: long.TryParse(Path.GetFileName(dir)[4..], out var id) ? id : -1))
            .Where(c => c.Id >= 0 && File.Exists(Path.Combine(c.Dir, MetadataFileName)))
            .OrderBy(c => c.Id)
            .Select(c => new CompletedCheckpoint(c.Id, c.Dir))];
    }

    /// <summary>Keeps the newest <paramref name="retained"/> completed checkpoints; deletes older ones and older incomplete leftovers.</summary>
    public void Prune(int retained)
    {
        var completed = ListCompleted();
        if (completed.Count <= retained)
        {
            return;
        }

        var oldestKept = completed[^retained].CheckpointId;
        foreach (var dir in Directory.EnumerateDirectories(Root, "chk-*"))
        {
            if (long.TryParse(Path.GetFileName(dir)[4..], out var id) && id < oldestKept)
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                    // A concurrent reader (another process restoring) may hold it; next prune retries.
                }
            }
        }
    }

    private static string Sanitize(string uid) => string.Concat(uid.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
