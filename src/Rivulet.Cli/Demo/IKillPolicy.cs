namespace Rivulet.Cli.Demo;

/// <summary>When the supervisor SIGKILLs: a job process, or a TaskManager of the job's cluster.</summary>
internal interface IKillPolicy
{
    /// <summary>Asked at every supervision tick about the running candidate.</summary>
    bool ShouldKill(KillCandidate candidate);
}
