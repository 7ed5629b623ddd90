namespace Rivulet.Cli.Demo;

/// <summary>Faults done to the brokers while a demo run goes on (the chaos harness).</summary>
internal interface IBrokerChaos
{
    /// <summary>Called at every supervision tick: starts or ends faults that are due.</summary>
    void Tick(TimeSpan now);

    /// <summary>Ends every fault: all brokers up, no injected error left.</summary>
    void End();
}
