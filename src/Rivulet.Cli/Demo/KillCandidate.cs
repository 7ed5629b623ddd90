namespace Rivulet.Cli.Demo;

/// <summary>
/// What a kill policy looks at: one job process, or — on a cluster — the job since its latest
/// TaskManager kill.
/// </summary>
/// <param name="Id">Identifies the candidate across ticks (a process id, or the cluster's kill round).</param>
/// <param name="Uptime">How long the candidate has run: the process since its start; the cluster's job since it recovered from the latest kill (or, in kill mode any, since that kill).</param>
/// <param name="CheckpointsCompleted">Checkpoints completed within <paramref name="Uptime"/>.</param>
internal readonly record struct KillCandidate(int Id, TimeSpan Uptime, long CheckpointsCompleted);
