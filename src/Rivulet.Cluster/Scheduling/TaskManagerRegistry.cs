namespace Rivulet.Cluster.Scheduling;

/// <summary>
/// The TaskManagers the JobManager can deploy to, updated by its actor (registrations, losses) and
/// read by attempts waiting for slots. Thread-safe.
/// </summary>
internal sealed class TaskManagerRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<string, RegisteredTaskManager> _taskManagers = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int TaskManagerCount
    {
        get
        {
            lock (_gate)
            {
                return _taskManagers.Count;
            }
        }
    }

    public int TotalSlots
    {
        get
        {
            lock (_gate)
            {
                return _taskManagers.Values.Sum(t => t.Slots);
            }
        }
    }

    public void Add(RegisteredTaskManager taskManager)
    {
        lock (_gate)
        {
            _taskManagers[taskManager.Id] = taskManager;
            Changed();
        }
    }

    /// <summary>Removes the TaskManagers at <paramref name="address"/> (a cluster member that failed or left); returns them.</summary>
    public IReadOnlyList<RegisteredTaskManager> RemoveAt(Akka.Actor.Address address)
    {
        lock (_gate)
        {
            var lost = _taskManagers.Values.Where(t => t.Address.Equals(address)).ToList();
            foreach (var taskManager in lost)
            {
                _taskManagers.Remove(taskManager.Id);
            }

            if (lost.Count > 0)
            {
                Changed();
            }

            return lost;
        }
    }

    public IReadOnlyList<RegisteredTaskManager> All()
    {
        lock (_gate)
        {
            return [.. _taskManagers.Values];
        }
    }

    public bool Contains(string id)
    {
        lock (_gate)
        {
            return _taskManagers.ContainsKey(id);
        }
    }

    /// <summary>Waits until the TaskManagers offer at least <paramref name="slots"/> slots; returns them (in registration order).</summary>
    /// <exception cref="TimeoutException">Not enough slots within <paramref name="timeout"/>; the message says how many there are.</exception>
    public async Task<IReadOnlyList<RegisteredTaskManager>> WaitForSlotsAsync(int slots, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_taskManagers.Values.Sum(t => t.Slots) >= slots)
                {
                    return [.. _taskManagers.Values];
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The job needs {slots} slot(s), but after {timeout.TotalSeconds:0} s the registered TaskManagers offer {TotalSlots} ({TaskManagerCount} TaskManager(s)). " +
                    "Start more TaskManagers, give them more slots (--rivulet-slots), or lower the job's parallelism.");
            }
        }
    }

    private void Changed()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
