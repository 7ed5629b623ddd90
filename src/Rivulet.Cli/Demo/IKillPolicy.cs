namespace Rivulet.Cli.Demo;

/// <summary>When the supervisor SIGKILLs a running job process.</summary>
internal interface IKillPolicy
{
    /// <summary>Asked at every supervision tick about the running process.</summary>
    bool ShouldKill(DemoJobProcess job);
}
