namespace Rivulet.Core.Checkpointing;

/// <summary>A checkpoint (or savepoint) whose metadata is on disk.</summary>
/// <param name="CheckpointId">Its id.</param>
/// <param name="Directory">The directory holding <c>_metadata</c> and the state files.</param>
public sealed record CompletedCheckpoint(long CheckpointId, string Directory)
{
    /// <summary>The path of its <c>_metadata</c> file.</summary>
    public string MetadataPath => Path.Combine(Directory, CheckpointStorage.MetadataFileName);
}
