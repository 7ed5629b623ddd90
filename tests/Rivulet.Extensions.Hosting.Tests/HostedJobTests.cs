using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Source;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Recovery;
using Rivulet.Core.Serialization;
using Rivulet.Core.Time;
using Rivulet.Testing.Kafka;

namespace Rivulet.Extensions.Hosting.Tests;

/// <summary>
/// A job run by the generic host against the test broker: options from configuration, output
/// exactly once, health, stop with a savepoint on shutdown and restore of it on the next start.
/// </summary>
public sealed class HostedJobTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>, IDisposable
{
    private const string Job = "upper";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _state = Directory.CreateTempSubdirectory("rivulet-hosting-").FullName;

    [Fact]
    public async Task The_host_runs_the_job_stops_it_with_a_savepoint_and_the_next_host_restores_it_exactly_once()
    {
        var (input, output) = Topics2();
        Topics.Write(broker.BootstrapServers, input, Values("a", 0, 200));
        CompletedCheckpoint savepoint;
        int written;
        using (var host = BuildHost(Configuration(input, output)))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            Assert.Null(host.Services.GetRequiredKeyedService<RivuletJob>(Job).RestoredFrom);
            await Wait.UntilAsync(() => Topics.ReadCommitted(broker.BootstrapServers, output, 2).Count >= 200, Timeout, "the first 200 records in the output");
            var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
            Assert.Equal(HealthStatus.Healthy, health.Status);
            Assert.Equal($"Job {Job} is running.", health.Entries[$"rivulet:{Job}"].Description);

            // Input keeps arriving while the host stops: records between the last checkpoint and the
            // savepoint must come out once, whichever state the next start restores.
            using var stopWriting = new CancellationTokenSource();
            var writer = Task.Run(() => Topics.WriteUntil(broker.BootstrapServers, input, "c", stopWriting.Token), TestContext.Current.CancellationToken);
            await Wait.UntilAsync(() => Topics.ReadCommitted(broker.BootstrapServers, output, 2).Count > 210, Timeout, "the job to write some of the new input");
            await host.StopAsync(TestContext.Current.CancellationToken);
            await stopWriting.CancelAsync();
            written = await writer;

            var job = host.Services.GetRequiredKeyedService<RivuletJob>(Job);
            savepoint = Assert.IsType<CompletedCheckpoint>(job.ShutdownSavepoint);
            Assert.StartsWith(Path.Combine(_state, "savepoints"), savepoint.Directory, StringComparison.Ordinal);
            var metadata = CheckpointStorage.ReadMetadata(savepoint.Directory);
            Assert.True(metadata.IsSavepoint);
            Assert.Equal(Job, metadata.JobName);
            Assert.True(job.Client!.Completion.IsCompleted);
        }

        Topics.Write(broker.BootstrapServers, input, Values("b", 0, 100));
        using (var host = BuildHost(Configuration(input, output)))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            var job = host.Services.GetRequiredKeyedService<RivuletJob>(Job);
            Assert.Equal(savepoint, job.RestoredFrom);
            await Wait.UntilAsync(() => Topics.ReadCommitted(broker.BootstrapServers, output, 2).Count >= 300 + written, Timeout, $"all {300 + written} records in the output");
            await Wait.UntilAsync(() => job.Client!.Metrics.CheckpointsCompleted >= 2, Timeout, "two more checkpoints");
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        var expected = Values("A", 0, 200).Concat(Values("C", 0, written)).Concat(Values("B", 0, 100)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, Topics.ReadCommitted(broker.BootstrapServers, output, 2).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Bad_options_fail_the_start_naming_each_key_and_the_job_never_starts()
    {
        var (input, output) = Topics2();
        var settings = Configuration(input, output);
        settings[$"Rivulet:Jobs:{Job}:Parallelism"] = "0";
        settings.Remove($"Rivulet:Jobs:{Job}:CheckpointDirectory");
        settings[$"Rivulet:Jobs:{Job}:CheckpointIntervall"] = "00:00:05";
        settings[$"Rivulet:Jobs:{Job}:Kafka:security.protocol"] = " ";
        using var host = BuildHost(settings);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"Rivulet:Jobs:{Job}:Parallelism must be at least 1; it is 0.", error.Message);
        Assert.Contains($"Rivulet:Jobs:{Job}:CheckpointDirectory is missing", error.Message);
        Assert.Contains($"Rivulet:Jobs:{Job}:CheckpointIntervall is not a setting of a Rivulet job", error.Message);
        Assert.Contains($"Rivulet:Jobs:{Job}:Kafka:security.protocol is empty", error.Message);
        Assert.Null(host.Services.GetRequiredKeyedService<RivuletJob>(Job).Client);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_fails_the_start_naming_its_key()
    {
        var (input, output) = Topics2();
        var settings = Configuration(input, output);
        settings[$"Rivulet:Jobs:{Job}:CheckpointInterval"] = "every second";
        using var host = BuildHost(settings);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"Rivulet:Jobs:{Job}:CheckpointInterval", error.Message);
    }

    [Fact]
    public async Task A_job_that_cannot_be_defined_fails_the_start_naming_its_section_and_the_cause()
    {
        var (input, output) = Topics2();
        var settings = Configuration(input, output);
        settings.Remove($"Rivulet:Jobs:{Job}:Kafka:bootstrap.servers");
        using var host = BuildHost(settings);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"Job '{Job}' could not be defined (its configuration section is Rivulet:Jobs:{Job})", error.Message);
        Assert.Contains("bootstrap servers are required", error.Message);
    }

    [Fact]
    public async Task The_health_check_turns_unhealthy_when_checkpoints_stop_completing_on_time()
    {
        var (input, output) = Topics2();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = Configuration(input, output);
        settings[$"Rivulet:Jobs:{Job}:MaxCheckpointAge"] = "00:00:30";
        using var host = BuildHost(settings, clock);
        await host.StartAsync(TestContext.Current.CancellationToken);
        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(TestContext.Current.CancellationToken)).Status);

        clock.Advance(TimeSpan.FromMinutes(10));
        var report = await health.CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains($"more than Rivulet:Jobs:{Job}:MaxCheckpointAge (30 s)", report.Entries[$"rivulet:{Job}"].Description);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_job_that_fails_for_good_stops_the_host_with_exit_code_1()
    {
        var (input, output) = Topics2();
        Topics.Write(broker.BootstrapServers, input, ["poison"]);
        using var host = BuildHost(Configuration(input, output), define: job =>
        {
            job.Environment.SetRestartStrategy(RestartStrategy.None());
            Define(job).Map<string>(value => value == "POISON" ? throw new InvalidDataException("poison record") : value);
        });
        var stopped = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            await Wait.UntilAsync(() => stopped.IsCancellationRequested, Timeout, "the host to stop after the job failed");

            Assert.Equal(1, Environment.ExitCode);
            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
            Assert.Equal(HealthStatus.Unhealthy, report.Status);
            Assert.Contains("poison record", report.Entries[$"rivulet:{Job}"].Description);
        }
        finally
        {
            Environment.ExitCode = 0;
        }
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private (string Input, string Output) Topics2()
    {
        var input = KafkaTestClusterFixture.UniqueTopic("hosted-in");
        var output = KafkaTestClusterFixture.UniqueTopic("hosted-out");
        broker.Cluster.CreateTopic(input, 2);
        broker.Cluster.CreateTopic(output, 2);
        return (input, output);
    }

    private Dictionary<string, string?> Configuration(string input, string output) => new()
    {
        [$"Rivulet:Jobs:{Job}:Parallelism"] = "2",
        [$"Rivulet:Jobs:{Job}:CheckpointInterval"] = "00:00:00.500",
        [$"Rivulet:Jobs:{Job}:CheckpointDirectory"] = Path.Combine(_state, "checkpoints"),
        [$"Rivulet:Jobs:{Job}:SavepointDirectory"] = Path.Combine(_state, "savepoints"),
        [$"Rivulet:Jobs:{Job}:Kafka:bootstrap.servers"] = broker.BootstrapServers,
        [$"Rivulet:Jobs:{Job}:Kafka:transaction.timeout.ms"] = "60000",
        [$"Rivulet:Jobs:{Job}:Settings:InputTopic"] = input,
        [$"Rivulet:Jobs:{Job}:Settings:OutputTopic"] = output,
    };

    private static IHost BuildHost(Dictionary<string, string?> settings, TimeProvider? clock = null, Action<RivuletJobContext>? define = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        builder.Services.AddRivuletJob(Job, define ?? (job => Define(job)));
        return builder.Build();
    }

    /// <summary>Kafka → upper case → Kafka, exactly once; returns the stream before the sink for tests that add a step.</summary>
    private static Core.Api.DataStream<string> Define(RivuletJobContext job)
    {
        var source = KafkaSource.Builder<string>()
            .SetProperties(job.KafkaProperties)
            .SetTopics(job.Configuration["InputTopic"]!)
            .SetGroupId(job.JobName + "-" + job.Configuration["InputTopic"])
            .SetStartingOffsets(OffsetsInitializer.Earliest())
            .SetValueOnlyDeserializer(new SimpleStringSchema())
            .Build();
        var sink = KafkaSink.Builder<string>()
            .SetProperties(job.KafkaProperties)
            .SetRecordSerializer(KafkaRecordSerializationSchema.Builder<string>()
                .SetTopic(job.Configuration["OutputTopic"]!)
                .SetValueSerializationSchema(new SimpleStringSchema())
                .Build())
            .SetDeliveryGuarantee(DeliveryGuarantee.ExactlyOnce)
            .SetTransactionalIdPrefix(job.JobName + "-" + job.Configuration["OutputTopic"])
            .Build();
        var upper = job.Environment.FromSource(source, WatermarkStrategy<string>.NoWatermarks(), "Kafka Source").Map(line => line.ToUpperInvariant());
        upper.SinkTo(sink);
        return upper;
    }

    private static IEnumerable<string> Values(string prefix, int from, int count) => Topics.Values(prefix, from, count);
}
