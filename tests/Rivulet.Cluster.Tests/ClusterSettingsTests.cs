namespace Rivulet.Cluster.Tests;

/// <summary>The --rivulet-* arguments: what they set, and clear errors for bad ones.</summary>
public sealed class ClusterSettingsTests
{
    [Fact]
    public void A_TaskManager_takes_its_settings_from_the_arguments_and_leaves_the_programs_own_alone()
    {
        var settings = ClusterSettings.FromCommandLine(
            ["--records", "5", "--rivulet-role", "taskmanager", "--rivulet-host", "10.0.0.2", "--rivulet-join", "10.0.0.1:7000", "--rivulet-slots", "4",
             "--rivulet-data-port", "7100", "--rivulet-failure-timeout-ms", "2500", "--rivulet-slot-shortage", "rescale", "--rivulet-rescale-after-ms", "500"]);

        Assert.Equal(ClusterRole.TaskManager, settings.Role);
        Assert.Equal("10.0.0.2", settings.Host);
        Assert.Equal("10.0.0.1:7000", settings.JobManagerAddress);
        Assert.Equal(4, settings.Slots);
        Assert.Equal(7100, settings.DataPort);
        Assert.Equal(0, settings.Port);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), settings.FailureDetectionTimeout);
        Assert.Equal(SlotShortagePolicy.Rescale, settings.SlotShortage);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.RescaleAfter);
    }

    [Fact]
    public void A_JobManager_listens_on_its_own_port_and_is_its_own_seed()
    {
        var byDefault = ClusterSettings.FromCommandLine(["--rivulet-role", "jobmanager"]);
        Assert.Equal(ClusterSettings.DefaultJobManagerPort, byDefault.Port);

        var ownPort = ClusterSettings.FromCommandLine(["--rivulet-role", "jobmanager", "--rivulet-host", "10.0.0.1", "--rivulet-port", "7000"]);
        Assert.Equal("10.0.0.1:7000", ownPort.JobManagerAddress);

        var joined = ClusterSettings.FromCommandLine(["--rivulet-role", "jobmanager", "--rivulet-join", "10.0.0.1:7001"]);
        Assert.Equal(7001, joined.Port);
    }

    [Theory]
    [InlineData("--rivulet-role", "worker", "--rivulet-role must be jobmanager or taskmanager, not 'worker'")]
    [InlineData("--rivulet-port", "70000", "--rivulet-port must be a whole number from 0 to 65535, not '70000'")]
    [InlineData("--rivulet-join", "jobmanager", "--rivulet-join must be HOST:PORT (the JobManager's address), not 'jobmanager'")]
    [InlineData("--rivulet-host", "my-host", "--rivulet-host must be an IP address, not 'my-host'")]
    [InlineData("--rivulet-slots", "0", "--rivulet-slots must be a whole number from 1 to 1024, not '0'")]
    [InlineData("--rivulet-slot-shortage", "shrink", "--rivulet-slot-shortage must be wait or rescale, not 'shrink'")]
    [InlineData("--rivulet-colour", "blue", "Unknown argument --rivulet-colour")]
    public void A_bad_argument_is_refused_naming_it_and_the_value(string name, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => ClusterSettings.FromCommandLine([name, value]));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_argument_without_its_value_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ClusterSettings.FromCommandLine(["--rivulet-slots"]));
        Assert.Contains("--rivulet-slots needs a value", error.Message, StringComparison.Ordinal);
    }
}
