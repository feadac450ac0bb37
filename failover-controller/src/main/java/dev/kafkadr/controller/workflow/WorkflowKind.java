package dev.kafkadr.controller.workflow;

/** What a workflow does for its tenant. */
public enum WorkflowKind {
  /** Planned: both clusters healthy; fence, drain, translate exactly, switch. */
  SWITCHOVER,
  /** Unplanned: the active cluster is unreachable (or forced); no drain, data at risk reported. */
  FAILOVER,
  /** A planned switchover back to the tenant's home cluster after a switchover or failover. */
  FAILBACK,
  /**
   * A verify drill (non-disruptive; no client moves): proves from the records themselves that the
   * tenant's other cluster could take over now, and writes a signed report.
   */
  DRILL_VERIFY,
  /**
   * A switchover drill (disruptive, asked for on purpose): a real switchover under the tenant's
   * live traffic, within an RTO budget, then a failback home, with the RPO and RTO achieved
   * measured and signed into a report like a verify drill's.
   */
  DRILL_SWITCHOVER,
  /**
   * A migration's verification (non-disruptive: nothing is fenced, no client moves): every
   * committed record the tenant's topics hold on its cluster, from each log start up to a cut,
   * compared with its copy on the migration's target by the verify drill's comparison; it fails
   * naming each partition and the first offsets that differ or are not copied yet, and while the
   * tenant's newest one has failed, a switchover (the cut-over) of the tenant is refused.
   */
  MIGRATION_VERIFY;

  /** The kind as the API and the CLI name it: {@code switchover}, {@code drill-verify}. */
  public String apiName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Whether this kind is a drill (clients never move; a report instead). */
  public boolean isDrill() {
    return this == DRILL_VERIFY || this == DRILL_SWITCHOVER;
  }

  /**
   * Whether this kind moves the tenant's clients (or may: a failover, a switchover drill), so that
   * it measures an RTO and the records lost, may be rolled back, and leaves an old cluster to
   * fence; a verify drill and a migration's verify only read.
   */
  public boolean movesTenant() {
    return this != DRILL_VERIFY && this != MIGRATION_VERIFY;
  }

  /** The kind an API name means, case-insensitive. */
  public static WorkflowKind ofApiName(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }
}
