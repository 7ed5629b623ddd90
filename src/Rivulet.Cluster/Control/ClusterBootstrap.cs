using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;

namespace Rivulet.Cluster.Control;

/// <summary>
/// The Akka.NET actor system of a cluster process: cluster membership with the JobManager as
/// seed, and Akka's phi-accrual failure detector with the configured heartbeat and timeout. The
/// JobManager downs a TaskManager once the detector reports it unreachable, so the cluster
/// converges without it and a restarted TaskManager can rejoin, also on the same address.
/// </summary>
internal static class ClusterBootstrap
{
    public const string SystemName = "rivulet";
    public const string JobManagerRole = "jobmanager";
    public const string TaskManagerRole = "taskmanager";

    /// <summary>The name of the JobManager singleton's manager on every JobManager process, and its path.</summary>
    public const string JobManagerName = "jobmanager";

    public const string JobManagerPath = "/user/" + JobManagerName;

    public static ActorSystem Start(ClusterSettings settings)
    {
        var role = settings.Role == ClusterRole.JobManager ? JobManagerRole : TaskManagerRole;
        var seed = $"akka.tcp://{SystemName}@{ClusterSettings.JobManagerHost(settings.JobManagerAddress)}:{ClusterSettings.JobManagerPort(settings.JobManagerAddress)}";
        var heartbeat = Milliseconds(settings.HeartbeatInterval);
        var timeout = Milliseconds(settings.FailureDetectionTimeout);
        var hocon = $$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = WARNING
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              actor.provider = cluster
              remote {
                dot-netty.tcp {
                  hostname = "{{settings.Host}}"
                  port = {{settings.Port}}
                }
                # A TaskManager started before its JobManager listens tries again soon, not after 5 s.
                retry-gate-closed-for = 1s
              }
              cluster {
                seed-nodes = ["{{seed}}"]
                seed-node-timeout = 2s
                retry-unsuccessful-join-after = 2s
                roles = ["{{role}}"]
                failure-detector {
                  heartbeat-interval = {{heartbeat}}ms
                  acceptable-heartbeat-pause = {{timeout}}ms
                }
                # The JobManager downs TaskManagers it has lost (JobMasterActor): the authority of a
                # master/worker cluster, as in Flink. Akka's split-brain resolver treats members
                # symmetrically, and a crash loop of TaskManagers made it down every member, the JobManager too.
                downing-provider-class = ""
                run-coordinated-shutdown-when-down = on
                # TaskManagers register again every second until accepted; the proxy's own warning says nothing more.
                singleton-proxy.log-singleton-identification-failure = off
              }
              coordinated-shutdown.exit-clr = off
            }
            """;
        var config = ConfigurationFactory.ParseString(hocon).WithFallback(ClusterSingleton.DefaultConfig());
        return ActorSystem.Create(SystemName, config);
    }

    private static string Milliseconds(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
