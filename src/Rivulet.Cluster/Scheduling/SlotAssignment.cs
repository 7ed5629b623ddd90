using Rivulet.Core.Graph;

namespace Rivulet.Cluster.Scheduling;

/// <summary>
/// Which TaskManager runs each subtask. Slots are shared as in Flink: slot i holds subtask i of
/// every operator chain, so a job needs as many slots as its highest parallelism; the slots are
/// taken round-robin over the TaskManagers, spreading subtasks evenly.
/// </summary>
internal static class SlotAssignment
{
    public static int RequiredSlots(JobGraph graph) => graph.Vertices.Max(v => v.Parallelism);

    /// <summary>The TaskManager of subtask (vertex index, subtask index).</summary>
    public static Dictionary<(int Vertex, int Subtask), RegisteredTaskManager> Assign(JobGraph graph, IReadOnlyList<RegisteredTaskManager> taskManagers)
    {
        var slots = new List<RegisteredTaskManager>();
        var used = taskManagers.ToDictionary(t => t.Id, _ => 0, StringComparer.Ordinal);
        var required = RequiredSlots(graph);
        while (slots.Count < required)
        {
            var before = slots.Count;
            foreach (var taskManager in taskManagers)
            {
                if (slots.Count < required && used[taskManager.Id] < taskManager.Slots)
                {
                    used[taskManager.Id]++;
                    slots.Add(taskManager);
                }
            }

            if (slots.Count == before)
            {
                throw new InvalidOperationException($"The job needs {required} slot(s); the TaskManagers offer {slots.Count}.");
            }
        }

        var placement = new Dictionary<(int, int), RegisteredTaskManager>();
        foreach (var vertex in graph.Vertices)
        {
            for (var subtask = 0; subtask < vertex.Parallelism; subtask++)
            {
                placement[(vertex.Index, subtask)] = slots[subtask];
            }
        }

        return placement;
    }
}
