package dev.kafkadr.controller.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A tenant's replication over one flow, as measured by one scan: its data at risk (records and age
 * that would be lost if the source died now) against its RPO.
 *
 * @param tenant tenant id
 * @param source source cluster alias
 * @param target target cluster alias
 * @param rpo the tenant's recovery point objective
 * @param lagRecords offsets not yet copied, over all the tenant's partitions (an upper bound at
 *     every moment of the scan); -1 when a partition is unknown
 * @param lagSeconds age at {@code measuredAt} of the oldest record not yet copied; -1 when unknown
 * @param status data at risk against the RPO
 * @param partitions per source partition
 * @param gaps records lost to the copy, since the controller started
 * @param groups the tenant's consumer groups, per partition
 * @param health the flow's connectors and heartbeat
 * @param problem why the flow, or some of its partitions, could not be measured, or null
 * @param scannedAt when the scan started
 * @param measuredAt the instant the figures hold for: after the copy positions were read, before
 *     the source's ends were
 */
public record FlowLag(
    String tenant,
    String source,
    String target,
    Duration rpo,
    long lagRecords,
    double lagSeconds,
    RpoStatus status,
    List<PartitionLag> partitions,
    List<Gap> gaps,
    List<GroupLag> groups,
    FlowHealth health,
    String problem,
    Instant scannedAt,
    Instant measuredAt) {

  /** Whether every partition has a figure. */
  public boolean known() {
    return problem == null;
  }

  /**
   * Whether these figures no longer say where the tenant stands at {@code now}: measured more than
   * {@code staleAfter} ago (three scan intervals, {@code LagMonitor.staleAfter()}), because scans
   * are late. The API then answers UNKNOWN with the reason, and the gauges NaN and UNKNOWN.
   */
  public boolean staleAt(Instant now, Duration staleAfter) {
    return Duration.between(measuredAt, now).compareTo(staleAfter) > 0;
  }
}
