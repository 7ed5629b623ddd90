namespace Rivulet.EndToEnd.Tests;

/// <summary>
/// Tests that run jobs in child processes and kill them on a schedule share the two cores badly;
/// in one collection they run one after another.
/// </summary>
[CollectionDefinition(Collection)]
public sealed class KilledJobs
{
    public const string Collection = "killed jobs";
}
