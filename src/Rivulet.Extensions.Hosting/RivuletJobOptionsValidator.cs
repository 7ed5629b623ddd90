using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Rivulet.Extensions.Hosting;

/// <summary>Checks one job's options when the host starts; each failure names the configuration key to fix.</summary>
internal sealed class RivuletJobOptionsValidator(string jobName, IConfiguration configuration) : IValidateOptions<RivuletJobOptions>
{
    private static readonly string[] Known = [.. typeof(RivuletJobOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name)];

    public ValidateOptionsResult Validate(string? name, RivuletJobOptions options)
    {
        if (name != jobName)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        foreach (var entry in configuration.GetSection($"{RivuletJobOptions.JobsSection}:{jobName}").GetChildren())
        {
            if (!Known.Contains(entry.Key, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{entry.Path} is not a setting of a Rivulet job (the settings are {string.Join(", ", Known)}; a job's own settings go under {Key(nameof(options.Settings))}).");
            }
        }

        if (options.Parallelism is < 1)
        {
            failures.Add($"{Key(nameof(options.Parallelism))} must be at least 1; it is {options.Parallelism}.");
        }

        if (options.MaxParallelism is < 1)
        {
            failures.Add($"{Key(nameof(options.MaxParallelism))} must be at least 1; it is {options.MaxParallelism}.");
        }

        if (options is { Parallelism: { } parallelism, MaxParallelism: { } max } && parallelism > max)
        {
            failures.Add($"{Key(nameof(options.Parallelism))} ({parallelism}) exceeds {Key(nameof(options.MaxParallelism))} ({max}).");
        }

        if (options.CheckpointInterval is { } interval && interval <= TimeSpan.Zero)
        {
            failures.Add($"{Key(nameof(options.CheckpointInterval))} must be positive (for example \"00:00:10\"); it is {interval}.");
        }

        if (options.CheckpointInterval is not null && string.IsNullOrWhiteSpace(options.CheckpointDirectory))
        {
            failures.Add($"{Key(nameof(options.CheckpointDirectory))} is missing: checkpoints ({Key(nameof(options.CheckpointInterval))}) need a directory to be written to.");
        }

        if (options.MaxCheckpointAge is { } age && age <= TimeSpan.Zero)
        {
            failures.Add($"{Key(nameof(options.MaxCheckpointAge))} must be positive; it is {age}.");
        }

        foreach (var (property, value) in options.Kafka)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"{Key($"{nameof(options.Kafka)}:{property}")} is empty; remove it or give it a value.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string Key(string setting) => RivuletJobOptions.KeyOf(jobName, setting);
}
