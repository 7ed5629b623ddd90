using System.Reflection;
using System.Runtime.InteropServices;

namespace Rivulet.Connectors.Kafka.Native;

/// <summary>
/// Applies the one opt-in override of the native Kafka client: <c>RIVULET_LIBRDKAFKA</c> names a
/// librdkafka.so that Confluent.Kafka uses instead of the librdkafka.redist package's.
/// </summary>
/// <remarks>
/// Without the variable nothing happens and Confluent.Kafka loads its stock library (on
/// glibc Linux the "centos8" build, which has no GSSAPI). Users who need Kerberos on Debian or
/// Ubuntu point the variable at a librdkafka built with <c>--enable-gssapi</c> (Rivulet's
/// tools/native/build-librdkafka.sh builds one). Confluent.Kafka's own <c>Library.Load(path)</c>
/// dlopens "libdl", which does not exist on Debian 12, so the override is a DllImport resolver
/// on the Confluent.Kafka assembly instead: every import name it tries maps to the one handle.
/// The resolver must be in place before Confluent.Kafka first touches its native library, so
/// every Rivulet code path that creates a client calls <see cref="EnsureLoaded"/> first.
/// </remarks>
internal static class LibrdkafkaLoader
{
    /// <summary>Environment variable naming the librdkafka.so to use instead of the stock one.</summary>
    public const string PathVariable = "RIVULET_LIBRDKAFKA";

    private static readonly object Gate = new();
    private static bool _applied;
    private static IntPtr _handle;

    /// <summary>The overriding library's path, when <c>RIVULET_LIBRDKAFKA</c> is set and was applied.</summary>
    public static string? OverridePath { get; private set; }

    /// <summary>Applies the override (once) if the environment asks for one. Cheap to call again.</summary>
    public static void EnsureLoaded()
    {
        if (Volatile.Read(ref _applied))
        {
            return;
        }

        lock (Gate)
        {
            if (_applied)
            {
                return;
            }

            var path = Environment.GetEnvironmentVariable(PathVariable);
            if (!string.IsNullOrEmpty(path))
            {
                if (!File.Exists(path))
                {
                    throw new DllNotFoundException($"{PathVariable} names '{path}', which does not exist.");
                }

                _handle = NativeLibrary.Load(Path.GetFullPath(path));
                OverridePath = Path.GetFullPath(path);
                NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, Resolve);
            }

            Volatile.Write(ref _applied, true);
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName.Contains("rdkafka", StringComparison.Ordinal) ? _handle : IntPtr.Zero;
}
