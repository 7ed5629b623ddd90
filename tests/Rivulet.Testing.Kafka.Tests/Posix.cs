using System.Runtime.InteropServices;

namespace Rivulet.Testing.Kafka.Tests;

/// <summary>Signals for child-process tests (Process.Kill only sends SIGKILL).</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
