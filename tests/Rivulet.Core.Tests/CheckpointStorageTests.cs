using Rivulet.Core.Checkpointing;

namespace Rivulet.Core.Tests;

public sealed class CheckpointStorageTests
{
    [Fact]
    public void Completing_a_checkpoint_leaves_only_its_metadata_and_flushes_the_directories()
    {
        var root = TestEnvironments.TempDirectory();
        var storage = new CheckpointStorage(root);
        var directory = storage.DirectoryFor(7);
        var file = CheckpointStorage.WriteStateFile(directory, "op", 0, [1, 2, 3]);

        storage.WriteMetadata(directory, new CheckpointMetadata { CheckpointId = 7, TimestampMs = 1, JobName = "j", Operators = [] });

        Assert.Equal([CheckpointStorage.MetadataFileName, file.RelativePath], Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(7, CheckpointStorage.ReadMetadata(directory).CheckpointId);
    }

    [Fact]
    public void Flushing_a_directory_that_is_not_there_fails_naming_it()
    {
        // Proves the flush really reaches the operating system (a no-op could not fail).
        var missing = Path.Combine(TestEnvironments.TempDirectory(), "missing");

        var error = Assert.Throws<IOException>(() => DirectorySync.Flush(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }
}
