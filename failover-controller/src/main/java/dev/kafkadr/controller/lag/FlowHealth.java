package dev.kafkadr.controller.lag;

import java.util.List;

/**
 * Whether a tenant's replication over a flow is running: its connectors and tasks as the target's
 * Connect cluster reports them, and the age of the newest MM2 heartbeat for the flow on the target
 * (proof that a worker of the flow is alive and writing there).
 *
 * @param replication RUNNING when every connector and task runs; otherwise the worst of UNREACHABLE
 *     (Connect does not answer), MISSING (a connector is not there), FAILED, PAUSED, or NOT_WATCHED
 *     when no Connect URL is configured for the target
 * @param connectors the flow's connectors
 * @param heartbeatAgeSeconds age of the newest heartbeat for the flow on the target, -1 when there
 *     is none
 * @param problem what Connect answered when it did not answer well, or null
 * @param delivery what the copies promise: {@code at-least-once}, or {@code exactly-once} for a
 *     tenant whose source connectors require it on a Connect cluster with exactly-once source
 *     support (the tenants file's {@code delivery})
 * @param connectCluster the Connect cluster the flow runs on: {@code default} or a declared name
 * @param refused records the flow's source task failed on because they are larger than a limit,
 *     named by partition, offset and size; empty unless a task failed that way
 */
public record FlowHealth(
    String replication,
    List<ConnectorState> connectors,
    double heartbeatAgeSeconds,
    String problem,
    String delivery,
    String connectCluster,
    List<RefusedRecord> refused) {

  /**
   * One connector.
   *
   * @param name connector name
   * @param state the connector's state, or UNREACHABLE / MISSING
   * @param tasks each task's state
   * @param trace the first line of the first failure trace, or null
   */
  public record ConnectorState(String name, String state, List<String> tasks, String trace) {}
}
