using Rivulet.Core.Runtime;
using Rivulet.Core.State;

namespace Rivulet.Core.Checkpointing;

/// <summary>
/// The state file of one operator subtask: a format version, the operator (list) state, then the
/// keyed state when the operator is keyed.
/// </summary>
internal static class OperatorSnapshotFile
{
    private const int FormatVersion = 1;

    public static byte[] Write(OperatorContext context)
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer);
        writer.Write(FormatVersion);
        context.OperatorState.Snapshot(writer);
        writer.Write(context.KeyedBackend is not null);
        context.KeyedBackend?.Snapshot(writer);
        writer.Flush();
        return buffer.ToArray();
    }

    /// <summary>
    /// Restores one operator subtask from the old subtasks' files: keyed state by the key groups it
    /// now owns, list state split evenly (or all of it, for union state), one copy of broadcast state.
    /// </summary>
    public static void Restore(OperatorContext context, string checkpointDirectory, OperatorStateMetadata old)
    {
        if (old.MaxParallelism != context.MaxNumberOfParallelSubtasks)
        {
            throw new InvalidOperationException(
                $"Operator '{context.OperatorName}' (uid '{context.OperatorUid}') was checkpointed with max parallelism {old.MaxParallelism} " +
                $"but now has {context.MaxNumberOfParallelSubtasks}; keyed state can only be restored with the same max parallelism.");
        }

        var files = old.SubtaskFiles
            .Select((relative, oldSubtask) => (relative, CheckpointStorage.ReadStateFile(checkpointDirectory, relative, old.SubtaskFileDigests?[oldSubtask])))
            .ToList();
        try
        {
            Restore(context, files);
        }
        catch (TruncatedStateFileException e)
        {
            throw new CorruptCheckpointException(
                $"State file {Path.Combine(checkpointDirectory, e.File)} ends early: it was truncated. {CheckpointStorage.FallbackAdvice(checkpointDirectory)}", e.InnerException);
        }
    }

    /// <summary>Restores one operator subtask from the old subtasks' snapshots (name, bytes), index = old subtask index.</summary>
    internal static void Restore(OperatorContext context, IReadOnlyList<(string Name, byte[] Bytes)> oldSubtasks)
    {
        // Per state name, the entries of each old subtask (index = old subtask index).
        var lists = new Dictionary<string, (OperatorStateMode Mode, List<byte[]>[] PerOldSubtask)>(StringComparer.Ordinal);
        for (var oldSubtask = 0; oldSubtask < oldSubtasks.Count; oldSubtask++)
        {
            var (name, bytes) = oldSubtasks[oldSubtask];
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
            try
            {
                RestoreFile(context, reader, name, oldSubtask, oldSubtasks.Count, lists);
            }
            catch (EndOfStreamException e)
            {
                throw new TruncatedStateFileException(name, e);
            }
        }

        foreach (var (name, (mode, perOld)) in lists)
        {
            var all = perOld.SelectMany(e => e ?? []).ToList();
            if (mode == OperatorStateMode.Union)
            {
                context.OperatorState.AddRestored(name, mode, all);
            }
            else if (mode == OperatorStateMode.Broadcast)
            {
                // Every old subtask holds the same map: one copy each, spread round-robin.
                context.OperatorState.AddRestored(name, mode, perOld[context.SubtaskIndex % perOld.Length] ?? []);
            }
            else if (perOld.Length == context.NumberOfParallelSubtasks)
            {
                // Same parallelism: every subtask gets back exactly what it snapshotted (as Flink's
                // round-robin repartitioner does), whatever the counts per subtask.
                context.OperatorState.AddRestored(name, mode, perOld[context.SubtaskIndex] ?? []);
            }
            else
            {
                var p = context.NumberOfParallelSubtasks;
                var i = context.SubtaskIndex;
                var start = (int)((long)i * all.Count / p);
                var end = (int)((long)(i + 1) * all.Count / p);
                context.OperatorState.AddRestored(name, mode, all.GetRange(start, end - start));
            }
        }
    }

    /// <summary>Reads one old subtask's file: its list states into <paramref name="lists"/>, its keyed state into the backend (filtered by key group).</summary>
    private static void RestoreFile(OperatorContext context, BinaryReader reader, string relative, int oldSubtask, int oldSubtasks,
        Dictionary<string, (OperatorStateMode Mode, List<byte[]>[] PerOldSubtask)> lists)
    {
        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"{relative}: state file format {version} is not supported (expected {FormatVersion}).");
        }

        foreach (var (name, mode, entries) in OperatorStateBackend.Read(reader, context.OperatorName))
        {
            if (!lists.TryGetValue(name, out var list))
            {
                lists[name] = list = (mode, new List<byte[]>[oldSubtasks]);
            }

            list.PerOldSubtask[oldSubtask] = entries;
        }

        if (reader.ReadBoolean())
        {
            if (context.KeyedBackend is null)
            {
                throw new InvalidOperationException($"Operator '{context.OperatorName}' (uid '{context.OperatorUid}') has keyed state in the checkpoint but is not keyed any more.");
            }

            context.KeyedBackend.Restore(reader);
        }
    }
}
