using System.Reflection;
using System.Runtime.InteropServices;

namespace Rivulet.Testing.Kafka.Native;

/// <summary>
/// Loads the test broker's native library: librdkafka built with Rivulet's mock-broker patches
/// (tools/native/build-librdkafka.sh), under a file name of its own.
/// </summary>
/// <remarks>
/// The Kafka clients in the same process use Confluent.Kafka's stock librdkafka (from the
/// librdkafka.redist package). Both libraries export the same symbols, so this one is loaded by
/// absolute path with <see cref="NativeLibrary.Load(string)"/> (dlopen without RTLD_GLOBAL): its
/// symbols stay in its own lookup scope, and the P/Invoke import name below is distinct from the
/// names Confluent.Kafka resolves, so neither library ever binds to the other's functions.
/// </remarks>
internal static class TestBrokerLibrary
{
    /// <summary>The import name of <see cref="MockClusterNative"/>'s declarations.</summary>
    public const string ImportName = "rivulet-testbroker";

    /// <summary>Environment variable that names the library file explicitly.</summary>
    public const string PathVariable = "RIVULET_TEST_BROKER_LIBRARY";

    private const string FileName = "librivulet-testbroker.so";
    private static readonly Lazy<IntPtr> Handle = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _resolverRegistered;

    /// <summary>Loads the library (once) and routes this assembly's test-broker imports to it.</summary>
    public static void EnsureLoaded()
    {
        if (Interlocked.Exchange(ref _resolverRegistered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(TestBrokerLibrary).Assembly, Resolve);
        }

        _ = Handle.Value;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == ImportName ? Handle.Value : IntPtr.Zero;

    private static IntPtr Load()
    {
        var path = Locate();
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException($"The test broker library {path} could not be loaded: {e.Message}", e);
        }
    }

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(fromEnvironment)
                ? Path.GetFullPath(fromEnvironment)
                : throw new DllNotFoundException($"{PathVariable} names '{fromEnvironment}', which does not exist.");
        }

        // A package consumer's output holds the file under runtimes/<rid>/native (framework-dependent
        // build) or beside the assemblies (RID-specific build); a repository build has it in .native/lib.
        var assemblyDirectory = Path.GetDirectoryName(typeof(TestBrokerLibrary).Assembly.Location) ?? AppContext.BaseDirectory;
        var candidates = new List<string>();
        foreach (var directory in new[] { AppContext.BaseDirectory, assemblyDirectory }.Distinct())
        {
            candidates.Add(Path.Combine(directory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", FileName));
            candidates.Add(Path.Combine(directory, "runtimes", "linux-x64", "native", FileName));
            candidates.Add(Path.Combine(directory, FileName));
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                candidates.Add(Path.Combine(dir.FullName, ".native", "lib", FileName));
            }
        }

        var found = candidates.FirstOrDefault(File.Exists);
        return found ?? throw new DllNotFoundException(
            $"The Kafka test broker's native library ({FileName}, linux-x64) was not found. It ships in the " +
            "Rivulet.Testing.Kafka package; in the repository, tools/native/build-librdkafka.sh builds it " +
            $"(./rivulet does that). Set {PathVariable} to its path to use another copy. Looked in: " +
            string.Join(", ", candidates.Distinct()));
    }
}
