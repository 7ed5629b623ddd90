using Microsoft.Extensions.Configuration;
using Rivulet.Core.Api;

namespace Rivulet.Extensions.Hosting;

/// <summary>What a job definition gets: the environment to build the dataflow on, configured from the job's options, and the host's services.</summary>
public sealed class RivuletJobContext
{
    internal RivuletJobContext(string jobName, StreamExecutionEnvironment environment, RivuletJobOptions options, IConfiguration configuration, IServiceProvider services)
    {
        JobName = jobName;
        Environment = environment;
        Options = options;
        Configuration = configuration;
        Services = services;
    }

    /// <summary>The job's name (also the name of its configuration section).</summary>
    public string JobName { get; }

    /// <summary>The environment to define the dataflow on; parallelism, checkpointing and restore are already set from <see cref="Options"/>.</summary>
    public StreamExecutionEnvironment Environment { get; }

    /// <summary>The job's validated options.</summary>
    public RivuletJobOptions Options { get; }

    /// <summary>The Kafka client properties of the job's configuration section (<c>Rivulet:Jobs:&lt;job&gt;:Kafka</c>), for the job's sources and sinks.</summary>
    public IReadOnlyDictionary<string, string> KafkaProperties => Options.Kafka;

    /// <summary>The job's own settings section (<c>Rivulet:Jobs:&lt;job&gt;:Settings</c>), to read or bind settings of its own.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services { get; }
}
