using System.Reflection;
using System.Runtime.InteropServices;

namespace Rivulet.Connectors.Kafka.Native;

/// <summary>
/// Makes every P/Invoke to librdkafka (Confluent.Kafka's and Rivulet's own) resolve to the
/// library built from source by <c>tools/native/build-librdkafka.sh</c>.
/// </summary>
/// <remarks>
/// NuGet here has no <c>librdkafka.redist</c>, Debian's librdkafka is too old for Confluent.Kafka
/// 2.x, and <c>Confluent.Kafka.Library.Load(path)</c> fails on Debian 12 because it dlopens
/// "libdl" (only libdl.so.2 exists). A DllImport resolver on the Confluent.Kafka assembly avoids
/// all three: its imports ("librdkafka", "alpine-librdkafka", "centos8-librdkafka") all map to
/// one handle loaded by path.
/// </remarks>
public static class LibrdkafkaLoader
{
    /// <summary>Environment variable that overrides where the library is looked up.</summary>
    public const string PathVariable = "RIVULET_LIBRDKAFKA";

    private const string RelativeLibraryPath = ".native/lib/librdkafka.so";
    private static readonly object Gate = new();
    private static readonly HashSet<Assembly> RegisteredAssemblies = [];
    private static IntPtr _handle;

    /// <summary>The loaded library's path, once <see cref="EnsureLoaded"/> succeeded.</summary>
    public static string? LoadedPath { get; private set; }

    /// <summary>
    /// Loads the library (once) and routes the Confluent.Kafka assembly's imports to it.
    /// Safe to call from anywhere, any number of times.
    /// </summary>
    public static void EnsureLoaded() => EnsureResolvedFor(typeof(Confluent.Kafka.Library).Assembly);

    /// <summary>
    /// Routes the librdkafka imports of <paramref name="assembly"/> (for example the test
    /// broker's own P/Invoke declarations) to the same loaded library.
    /// </summary>
    public static void EnsureResolvedFor(Assembly assembly)
    {
        lock (Gate)
        {
            if (_handle == IntPtr.Zero)
            {
                var path = Locate();
                _handle = NativeLibrary.Load(path);
                LoadedPath = path;
            }

            if (!RegisteredAssemblies.Add(assembly))
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(assembly, Resolve);
            if (assembly != typeof(Confluent.Kafka.Library).Assembly)
            {
                EnsureResolvedFor(typeof(Confluent.Kafka.Library).Assembly);
            }
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName.Contains("rdkafka", StringComparison.Ordinal) ? _handle : IntPtr.Zero;

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(fromEnvironment)
                ? fromEnvironment
                : throw new DllNotFoundException(
                    $"{PathVariable} names '{fromEnvironment}', which does not exist.");
        }

        var searched = new List<string>();
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativeLibraryPath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }

                searched.Add(dir.FullName);
            }
        }

        throw new DllNotFoundException(
            "librdkafka was not found. Build it with tools/native/build-librdkafka.sh (./rivulet does this " +
            $"automatically), or set {PathVariable} to a librdkafka.so of version 2.15.x. Looked for " +
            $"{RelativeLibraryPath} under: {string.Join(", ", searched.Distinct())}");
    }
}
