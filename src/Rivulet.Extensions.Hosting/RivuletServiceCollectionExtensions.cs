using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Rivulet.Extensions.Hosting;

/// <summary>Registers Rivulet jobs with the generic host.</summary>
public static class RivuletServiceCollectionExtensions
{
    /// <summary>The tag of every Rivulet job health check (to map them on an endpoint of their own).</summary>
    public const string HealthCheckTag = "rivulet";

    /// <summary>
    /// Runs the job <paramref name="jobName"/>, defined by <paramref name="defineJob"/>, as a hosted
    /// service: options bound from <c>Rivulet:Jobs:&lt;jobName&gt;</c> and validated when the host
    /// starts (errors name the key), logging through the host's <see cref="ILoggerFactory"/>, stop
    /// with a savepoint on shutdown, the host stopped when the job ends, and a health check named
    /// <c>rivulet:&lt;jobName&gt;</c>. The job's <see cref="RivuletJob"/> is a keyed service under its name.
    /// </summary>
    public static IServiceCollection AddRivuletJob(this IServiceCollection services, string jobName, Action<RivuletJobContext> defineJob)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(jobName);
        ArgumentNullException.ThrowIfNull(defineJob);
        if (jobName.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A job name is a configuration section name and cannot contain ':' (got '{jobName}').", nameof(jobName));
        }

        if (services.Any(d => d.ServiceType == typeof(RivuletJob) && Equals(d.ServiceKey, jobName)))
        {
            throw new ArgumentException($"A job named '{jobName}' is already registered.", nameof(jobName));
        }

        services.AddOptions<RivuletJobOptions>(jobName)
            .BindConfiguration($"{RivuletJobOptions.JobsSection}:{jobName}")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RivuletJobOptions>>(provider => new RivuletJobOptionsValidator(jobName, provider.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton(TimeProvider.System);

        var job = new RivuletJob(jobName);
        services.AddKeyedSingleton(jobName, job);
        services.AddSingleton<IHostedService>(provider => new RivuletJobService(
            job,
            defineJob,
            provider.GetRequiredService<IOptionsMonitor<RivuletJobOptions>>(),
            provider.GetRequiredService<IConfiguration>(),
            provider,
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetRequiredService<IHostApplicationLifetime>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"rivulet:{jobName}",
            provider => new RivuletJobHealthCheck(job, provider.GetRequiredService<IOptionsMonitor<RivuletJobOptions>>(), provider.GetRequiredService<TimeProvider>()),
            HealthStatus.Unhealthy,
            [HealthCheckTag]));
        return services;
    }
}
