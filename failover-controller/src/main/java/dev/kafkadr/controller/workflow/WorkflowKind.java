package dev.kafkadr.controller.workflow;

/** What a workflow does for its tenant. */
public enum WorkflowKind {
  /** Planned: both clusters healthy; fence, drain, translate exactly, switch. */
  SWITCHOVER,
  /** Unplanned: the active cluster is unreachable (or forced); no drain, data at risk reported. */
  FAILOVER,
  /** A planned switchover back to the tenant's home cluster after a switchover or failover. */
  FAILBACK
}
