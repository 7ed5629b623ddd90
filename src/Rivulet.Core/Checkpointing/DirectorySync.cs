using System.Runtime.InteropServices;

namespace Rivulet.Core.Checkpointing;

/// <summary>
/// Makes a directory's entries durable (fsync of the directory itself, POSIX). Flushing a file
/// makes its contents durable but not its name: after a machine crash, a renamed <c>_metadata</c>
/// or a new <c>chk-n</c> directory could be missing although its bytes were written. .NET cannot
/// open a directory as a stream, so this calls libc. A no-op on Windows, where NTFS journals
/// renames.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;

    // O_DIRECTORY differs between Linux (0x10000) and macOS (0x100000); opening read-only works
    // on a directory without it, so it is left out.
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open directory '{directory}' to flush it to disk (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush directory '{directory}' to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code enabled for the whole engine.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
