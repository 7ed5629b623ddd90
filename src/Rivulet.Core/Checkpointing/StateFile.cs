namespace Rivulet.Core.Checkpointing;

/// <summary>One operator subtask's state file as written for a checkpoint.</summary>
/// <param name="RelativePath">Its path relative to the checkpoint directory.</param>
/// <param name="Digest">Its length and checksum.</param>
internal sealed record StateFile(string RelativePath, StateFileDigest Digest);
