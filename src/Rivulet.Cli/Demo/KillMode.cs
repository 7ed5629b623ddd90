namespace Rivulet.Cli.Demo;

/// <summary>Which moment <c>--kill-every S</c> picks for each kill (<c>--kill-mode</c>).</summary>
internal enum KillMode
{
    /// <summary>S after the process started, once it completed a checkpoint of its own: every process moves the job forward.</summary>
    AfterCheckpoint,

    /// <summary>A uniformly random moment 0.5·S to 1.5·S after the process started, whatever it is doing: start-up and recovery included.</summary>
    Any,
}
