namespace Rivulet.Core.Runtime.Tasks;

/// <summary>
/// The mailbox of a subtask whose runner is created after its operators (the runner needs them):
/// operators get this handle at construction and use it only once the subtask runs.
/// </summary>
internal sealed class LateBoundMailbox(Func<IMailbox> runner) : IMailbox
{
    public void Post(Action mail) => runner().Post(mail);

    public void Yield(TimeSpan wait) => runner().Yield(wait);
}
