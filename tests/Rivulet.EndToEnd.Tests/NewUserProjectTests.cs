using System.Xml.Linq;

namespace Rivulet.EndToEnd.Tests;

/// <summary>
/// A new user's path: <c>dotnet new rivulet-job</c> from the template package, restored with
/// PackageReferences only from the packages <c>./rivulet pack</c> wrote (no project reference,
/// no native build), run against <c>rivulet test-broker</c>, its output read back with kcat.
/// </summary>
public sealed class NewUserProjectTests
{
    private static readonly TimeSpan DotnetTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_project_from_the_template_runs_a_kafka_job_from_the_packages_alone()
    {
        var packages = PackageDirectory();
        var work = Directory.CreateTempSubdirectory("rivulet-new-user-").FullName;
        WriteNuGetConfig(work, packages);
        var environment = new Dictionary<string, string>
        {
            // Never the machine's global package folder: a stale Rivulet package there would be
            // used instead of the one just packed.
            ["NUGET_PACKAGES"] = Path.Combine(work, "packages"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };

        var template = Directory.GetFiles(packages, "Rivulet.Templates.*.nupkg").Single(p => !p.EndsWith(".snupkg", StringComparison.Ordinal));
        var hive = Path.Combine(work, "template-hive");
        await DotnetAsync($"new install \"{template}\" --debug:custom-hive \"{hive}\"", work, environment);
        await DotnetAsync($"new rivulet-job -n MyJob -o MyJob --debug:custom-hive \"{hive}\"", work, environment);

        var project = XDocument.Load(Path.Combine(work, "MyJob", "MyJob.csproj"));
        Assert.Empty(project.Descendants("ProjectReference"));
        var references = project.Descendants("PackageReference").Select(r => (string?)r.Attribute("Include")).ToList();
        Assert.Equal(["Rivulet.Core", "Rivulet.Connectors.Kafka"], references);
        var version = (string?)project.Descendants("PackageReference").First().Attribute("Version");
        Assert.True(
            File.Exists(Path.Combine(packages, $"Rivulet.Core.{version}.nupkg")),
            $"the template references Rivulet {version}, which ./rivulet pack did not write (template.json's RivuletVersion default and VersionPrefix differ)");

        await DotnetAsync("build -c Release", Path.Combine(work, "MyJob"), environment);
        var output = Path.Combine(work, "MyJob", "bin", "Release", "net10.0");
        Assert.True(
            File.Exists(Path.Combine(output, "runtimes", "linux-x64", "native", "librdkafka.so")),
            "the stock librdkafka of librdkafka.redist is not in the build output");

        var bootstrapFile = Path.Combine(work, "bootstrap");
        using var broker = ChildProcess.Start("rivulet.dll", $"test-broker --brokers 1 --topic input:2 --topic output:2 --bootstrap-file \"{bootstrapFile}\"");
        await Wait.UntilAsync(() => File.Exists(bootstrapFile), TimeSpan.FromMinutes(1), "the test broker's address", broker);
        var bootstrap = (await File.ReadAllTextAsync(bootstrapFile, TestContext.Current.CancellationToken)).Trim();

        var lines = Enumerable.Range(0, 200).Select(i => $"record {i}").ToList();
        var (exit, _, error) = await Kcat.RunAsync($"-b {bootstrap} -P -t input -K :", string.Join('\n', lines.Select(l => $"{l}:{l}")) + "\n");
        Assert.True(exit == 0, error);

        using var job = ChildProcess.StartProgram(
            "dotnet", $"MyJob.dll {bootstrap} input output \"{Path.Combine(work, "checkpoints")}\"", output, environment);
        var expected = lines.Select(l => l.ToUpperInvariant()).Order().ToList();
        List<string> read = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (read.Count < expected.Count)
        {
            Assert.False(job.HasExited, $"the job exited with {(job.HasExited ? job.ExitCode : 0)}:\n{job.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"only {read.Count} of {expected.Count} records reached the output topic. Job output:\n{job.Output}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
            (exit, var consumed, error) = await Kcat.RunAsync($"-b {bootstrap} -C -t output -e -q -X isolation.level=read_committed -f %s\\n");
            Assert.True(exit == 0, error);
            read = consumed.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        }

        Assert.Equal(expected, read.Order().ToList());
        job.Kill();
    }

    private static async Task DotnetAsync(string arguments, string workingDirectory, Dictionary<string, string> environment)
    {
        using var dotnet = ChildProcess.StartProgram("dotnet", arguments, workingDirectory, environment);
        var exit = await dotnet.WaitForExitAsync(DotnetTimeout);
        Assert.True(exit == 0, $"dotnet {arguments} exited {exit}:\n{dotnet.Output}");
    }

    private static void WriteNuGetConfig(string directory, string packages)
    {
        // Rivulet's packages come from the local folder; everything else from the machine's own
        // sources, or without a download from the machine's package folder (a fallback folder is
        // only read, so no Rivulet package ever lands there).
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var config = new XDocument(
            new XElement("configuration",
                new XElement("packageSources",
                    new XElement("add", new XAttribute("key", "rivulet-local"), new XAttribute("value", packages))),
                new XElement("fallbackPackageFolders",
                    new XElement("add", new XAttribute("key", "machine"), new XAttribute("value", machinePackages)))));
        config.Save(Path.Combine(directory, "nuget.config"));
    }

    private static string PackageDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "artifacts", "packages");
            if (Directory.Exists(candidate) && Directory.GetFiles(candidate, "Rivulet.Core.*.nupkg").Length > 0)
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No artifacts/packages with Rivulet packages above {AppContext.BaseDirectory}: run ./rivulet pack (./rivulet test does).");
    }
}
