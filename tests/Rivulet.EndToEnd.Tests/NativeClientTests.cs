using Rivulet.Cli.Demo;

namespace Rivulet.EndToEnd.Tests;

/// <summary>
/// Which native librdkafka the Kafka clients use: the stock one of the librdkafka.redist package
/// by default, the library named by <c>RIVULET_LIBRDKAFKA</c> when a user opts in (for GSSAPI on
/// Debian, whose stock build has none). One process can load only one of them, so each case runs
/// the CLI as a child process.
/// </summary>
public sealed class NativeClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Clients_use_the_stock_librdkafka_of_the_package_by_default()
    {
        var output = await VersionAsync(new Dictionary<string, string>());

        Assert.Contains("librdkafka 2.16.0", output);
        Assert.Contains("librdkafka source: librdkafka.redist (stock)", output);
        Assert.Contains("gssapi: no", output);
    }

    [Fact]
    public async Task RIVULET_LIBRDKAFKA_replaces_the_stock_library_with_a_gssapi_build()
    {
        var library = RepositoryFile(".native/lib/librdkafka.so");

        var output = await VersionAsync(new Dictionary<string, string> { ["RIVULET_LIBRDKAFKA"] = library });

        Assert.Contains("librdkafka 2.15.1", output);
        Assert.Contains($"librdkafka source: RIVULET_LIBRDKAFKA={library}", output);
        Assert.Contains("gssapi: yes", output);
    }

    [Fact]
    public async Task A_demo_runs_exactly_once_on_the_overriding_library()
    {
        var summaryPath = Path.Combine(Directory.CreateTempSubdirectory("rivulet-native-").FullName, "summary.json");
        using var demo = ChildProcess.Start(
            "rivulet.dll",
            $"demo --records 3000 --rate 300 --checkpoint-interval 500 --kill-every 3 --summary-json {summaryPath}",
            new Dictionary<string, string> { ["RIVULET_LIBRDKAFKA"] = RepositoryFile(".native/lib/librdkafka.so") });

        var exitCode = await demo.WaitForExitAsync(TimeSpan.FromMinutes(5));

        Assert.True(File.Exists(summaryPath), $"no summary was written (exit code {exitCode}):\n{demo.Output}");
        var summary = DemoSummary.ReadJson(summaryPath);
        Assert.Equal("pass", summary.Verdict);
        Assert.Equal(3000, summary.Distinct);
        Assert.True(summary.Kills >= 1, $"no kill happened:\n{demo.Output}");
        Assert.Equal(0, summary.Duplicates);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task A_missing_overriding_library_is_refused_naming_the_setting()
    {
        using var cli = ChildProcess.Start(
            "rivulet.dll", "version", new Dictionary<string, string> { ["RIVULET_LIBRDKAFKA"] = "/nonexistent/librdkafka.so" });

        var exitCode = await cli.WaitForExitAsync(Timeout);

        Assert.Equal(2, exitCode);
        Assert.Contains("RIVULET_LIBRDKAFKA names '/nonexistent/librdkafka.so', which does not exist.", cli.Output);
        Assert.DoesNotContain("   at ", cli.Output);
    }

    [Fact]
    public async Task On_the_gssapi_library_the_seeds_kerberos_settings_without_a_keytab_are_refused_saying_what_to_set()
    {
        // The seeds' settings; librdkafka renews Kerberos tickets with kinit and a keytab, which the
        // Java client's JAAS configuration does not name.
        using var sample = ChildProcess.Start(
            "ReadFromKafka.dll", "--property security.protocol=SASL_PLAINTEXT --property sasl.kerberos.service.name=kafka", GssapiLibrary());

        Assert.NotEqual(0, await sample.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("sasl.kerberos.keytab", sample.Output);
        Assert.Contains("sasl.kerberos.min.time.before.relogin=0", sample.Output);
    }

    [Fact]
    public async Task On_the_gssapi_library_kerberos_without_credentials_fails_the_job_at_start_with_the_gssapi_cause()
    {
        // GSSAPI goes through cyrus-sasl for real; this machine has no Kerberos ticket.
        using var sample = ChildProcess.Start(
            "ReadFromKafka.dll",
            "--property security.protocol=SASL_PLAINTEXT --property sasl.kerberos.service.name=kafka --property sasl.kerberos.min.time.before.relogin=0",
            GssapiLibrary());

        Assert.NotEqual(0, await sample.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("GSSAPI", sample.Output);
        Assert.Contains("Kerberos", sample.Output);
    }

    private static Dictionary<string, string> GssapiLibrary() => new() { ["RIVULET_LIBRDKAFKA"] = RepositoryFile(".native/lib/librdkafka.so") };

    private static async Task<string> VersionAsync(Dictionary<string, string> environment)
    {
        using var cli = ChildProcess.Start("rivulet.dll", "version", environment);
        var exitCode = await cli.WaitForExitAsync(Timeout);
        Assert.True(exitCode == 0, $"rivulet version exited {exitCode}:\n{cli.Output}");
        return cli.StandardOutput;
    }

    private static string RepositoryFile(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relativePath} is not in any parent of {AppContext.BaseDirectory}; ./rivulet build makes it");
    }
}
