using System.Text.RegularExpressions;

namespace Rivulet.EndToEnd.Tests;

/// <summary>Every C# snippet of README.md is compiled: it appears, line for line, in ReadmeSnippets.cs or a sample.</summary>
public sealed partial class ReadmeSnippetsTests
{
    [Fact]
    public void Every_csharp_block_of_the_README_is_compiled_in_ReadmeSnippets_or_a_sample()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var compiledFiles = Directory.EnumerateFiles(Path.Combine(root, "samples"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Append(Path.Combine(root, "tests", "Rivulet.EndToEnd.Tests", "ReadmeSnippets.cs"))
            .Select(path => string.Join('\n', Normalized(File.ReadAllText(path))))
            .ToList();
        var blocks = CSharpBlock().Matches(readme).Select(m => m.Groups["code"].Value).ToList();

        Assert.True(blocks.Count >= 8, $"the README has only {blocks.Count} C# blocks");
        var missing = blocks
            .Where(block => !compiledFiles.Any(file => file.Contains(string.Join('\n', Normalized(block)), StringComparison.Ordinal)))
            .ToList();
        Assert.True(missing.Count == 0, "README C# blocks found neither in ReadmeSnippets.cs nor in a sample:\n\n" + string.Join("\n---\n", missing));
    }

    private static IEnumerable<string> Normalized(string code) =>
        code.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rivulet.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Rivulet.slnx above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
