using Akka.Actor;

namespace Rivulet.Cluster.Scheduling;

/// <summary>A TaskManager the JobManager accepted: where to reach it (control and data) and how many slots it offers.</summary>
internal sealed record RegisteredTaskManager(string Id, IActorRef Actor, Address Address, int Slots, string DataHost, int DataPort);
