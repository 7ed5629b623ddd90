using System.Security.Cryptography;
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
    /// <summary>The file whose presence marks a checkpoint or savepoint directory complete (<c>_metadata</c>, as in Flink).</summary>
    public const string MetadataFileName = "_metadata";
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Checkpoints under <paramref name="root"/>, made a full path now; the directory is created only when a checkpoint is written.</summary>
    /// <exception cref="ArgumentException"><paramref name="root"/> is null, empty or whitespace.</exception>
    public CheckpointStorage(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The directory holding the <c>chk-&lt;n&gt;</c> directories, as a full path.</summary>
    public string Root { get; }

    /// <summary>The directory of checkpoint <paramref name="checkpointId"/>, <c>&lt;root&gt;/chk-&lt;id&gt;</c>; only the path, which need not exist.</summary>
    public string DirectoryFor(long checkpointId) => Path.Combine(Root, $"chk-{checkpointId}");

    /// <summary>Writes one operator subtask's state; returns its path relative to the checkpoint directory, its length and checksum.</summary>
    internal static StateFile WriteStateFile(string checkpointDirectory, string operatorUid, int subtaskIndex, byte[] state)
    {
        var relative = $"{Sanitize(operatorUid)}-{subtaskIndex}.state";
        Directory.CreateDirectory(checkpointDirectory);
        var path = Path.Combine(checkpointDirectory, relative);
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.WriteThrough))
        {
            file.Write(state);
            file.Flush(flushToDisk: true);
        }

        return new StateFile(relative, new StateFileDigest(state.Length, Convert.ToHexStringLower(SHA256.HashData(state))));
    }

    /// <summary>
    /// Reads a state file back whole, checked against the digest the metadata recorded for it;
    /// a missing, short, long or changed file is refused naming it.
    /// </summary>
    internal static byte[] ReadStateFile(string checkpointDirectory, string relativePath, StateFileDigest? digest)
    {
        var path = Path.Combine(checkpointDirectory, relativePath);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CorruptCheckpointException($"State file {path} of the checkpoint in {checkpointDirectory} cannot be read: {e.Message}. {FallbackAdvice(checkpointDirectory)}", e);
        }

        if (digest is null)
        {
            return bytes;
        }

        if (bytes.Length != digest.Length)
        {
            throw new CorruptCheckpointException(
                $"State file {path} is {bytes.Length} bytes long, but its checkpoint recorded {digest.Length} bytes: it was {(bytes.Length < digest.Length ? "truncated" : "changed")}. " +
                FallbackAdvice(checkpointDirectory));
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, digest.Sha256, StringComparison.Ordinal))
        {
            throw new CorruptCheckpointException(
                $"State file {path} does not match the checksum its checkpoint recorded (SHA-256 {actual}, expected {digest.Sha256}): it is damaged. " +
                FallbackAdvice(checkpointDirectory));
        }

        return bytes;
    }

    /// <summary>What a user can do about a damaged checkpoint: nothing is chosen for them.</summary>
    internal static string FallbackAdvice(string checkpointDirectory) =>
        "Rivulet does not fall back to another checkpoint on its own: which one is safe depends on what the job's sinks already made visible " +
        "(an older checkpoint replays records the sinks may have committed). To go on, restore a retained older checkpoint or a savepoint explicitly " +
        $"(StreamExecutionEnvironment.SetStateRestorePath) or move {checkpointDirectory} aside to start without state.";

    /// <summary>
    /// Completes a checkpoint: the metadata file appears atomically, by a rename — the one moment
    /// the checkpoint becomes complete for this process and every later one. The entries are then
    /// flushed (<see cref="SyncNames"/>), which can fail only after that moment.
    /// </summary>
    public void WriteMetadata(string checkpointDirectory, CheckpointMetadata metadata)
    {
        CommitMetadata(checkpointDirectory, metadata);
        SyncNames(checkpointDirectory);
    }

    /// <summary>Writes the metadata to a temporary file, flushes it, and renames it into place: the checkpoint is complete once this returns.</summary>
    internal static void CommitMetadata(string checkpointDirectory, CheckpointMetadata metadata)
    {
        Directory.CreateDirectory(checkpointDirectory);
        var temp = Path.Combine(checkpointDirectory, MetadataFileName + ".tmp");
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, metadata, JsonOptions);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, Path.Combine(checkpointDirectory, MetadataFileName), overwrite: true);
    }

    /// <summary>
    /// Makes a completed checkpoint's names survive a machine crash too: the state files and
    /// <c>_metadata</c> in its directory, and the directory itself in the checkpoints' root.
    /// </summary>
    internal void SyncNames(string checkpointDirectory)
    {
        FlushDirectory(checkpointDirectory);
        if (Path.GetDirectoryName(Path.GetFullPath(checkpointDirectory)) is { } parent)
        {
            FlushDirectory(parent);
        }
    }

    /// <summary>Reads the metadata of a completed checkpoint or savepoint, given its directory or its <c>_metadata</c> file.</summary>
    /// <exception cref="FileNotFoundException">There is no <c>_metadata</c> file: the checkpoint is incomplete or the path is wrong.</exception>
    /// <exception cref="CorruptCheckpointException">The metadata file is empty or not the JSON Rivulet writes.</exception>
    /// <exception cref="InvalidDataException">The metadata has a version other than <see cref="CheckpointMetadata.CurrentVersion"/>.</exception>
    public static CheckpointMetadata ReadMetadata(string checkpointOrSavepointPath)
    {
        var path = Directory.Exists(checkpointOrSavepointPath)
            ? Path.Combine(checkpointOrSavepointPath, MetadataFileName)
            : checkpointOrSavepointPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{checkpointOrSavepointPath}' is not a completed checkpoint or savepoint: {path} does not exist.", path);
        }

        CheckpointMetadata? read;
        try
        {
            using var file = File.OpenRead(path);
            read = JsonSerializer.Deserialize<CheckpointMetadata>(file);
        }
        catch (JsonException e)
        {
            throw new CorruptCheckpointException($"{path} is damaged (not the JSON Rivulet wrote: {e.Message}). {FallbackAdvice(Path.GetDirectoryName(path)!)}", e);
        }

        var metadata = read ?? throw new CorruptCheckpointException($"{path} is empty. {FallbackAdvice(Path.GetDirectoryName(path)!)}");
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

    /// <summary>The completed checkpoint with the highest id that job <paramref name="jobName"/> wrote, if any (unreadable metadata counts as its).</summary>
    public CompletedCheckpoint? FindLatestCompleted(string jobName) => ListCompleted().LastOrDefault(c =>
    {
        try
        {
            return ReadMetadata(c.Directory).JobName == jobName;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or CorruptCheckpointException)
        {
            return true;
        }
    });

    /// <summary>
    /// The completed checkpoints under <see cref="Root"/> (<c>chk-&lt;n&gt;</c> directories holding <c>_metadata</c>), lowest id
    /// first; empty when the root does not exist. Lists every job's checkpoints there, without reading their metadata.
    /// </summary>
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

    /// <summary>
    /// Keeps the newest <paramref name="retained"/> completed checkpoints; deletes older ones and
    /// older incomplete leftovers, each by removing its <c>_metadata</c> first, so a reader never
    /// finds a "complete" checkpoint with files missing. Returns what could not be deleted (the next
    /// prune tries again).
    /// </summary>
    public IReadOnlyList<string> Prune(int retained)
    {
        var completed = ListCompleted();
        if (completed.Count <= retained)
        {
            return [];
        }

        var problems = new List<string>();
        var oldestKept = completed[^retained].CheckpointId;
        foreach (var dir in Directory.EnumerateDirectories(Root, "chk-*"))
        {
            if (long.TryParse(Path.GetFileName(dir)[4..], out var id) && id < oldestKept)
            {
                try
                {
                    DeleteDirectory(dir);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    problems.Add($"{dir}: {e.Message}");
                }
            }
        }

        return problems;
    }

    /// <summary>How a directory's entries are made durable (tests make it fail).</summary>
    internal Action<string> FlushDirectory { get; init; } = DirectorySync.Flush;

    /// <summary>How a checkpoint directory is removed (tests make it fail).</summary>
    internal Action<string> DeleteDirectory { get; init; } = dir =>
    {
        File.Delete(Path.Combine(dir, MetadataFileName));
        Directory.Delete(dir, recursive: true);
    };

    private static string Sanitize(string uid) => string.Concat(uid.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
