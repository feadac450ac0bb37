package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.GroupLag;
import dev.kafkadr.controller.lag.PartitionLag;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The scan an unplanned failover judges by, as its {@code assess} step journals it (fact {@link
 * #FACT}): each partition's log start and end on the old cluster with its copy, and each group's
 * committed offset and checkpoint, as the controller last measured them before the outage. The
 * steps after {@code assess} read it from the journal, so that a failover resumed by a restarted
 * controller, or by another replica, judges by the same scan: the replica resuming never measured
 * the lost cluster, or measured it after the fence, and its monitor's figures are not that scan.
 */
final class MeasuredScan {

  /** The fact under which {@code assess} journals the scan. */
  static final String FACT = "measuredScan";

  /**
   * The largest scan journaled, in bytes of JSON: a journal event is one etcd request on the etcd
   * store, and etcd refuses requests above 1.5 MiB by default ({@code --max-request-bytes}).
   */
  static final int MAX_BYTES = 512 * 1024;

  /** What {@link PartitionLag#measuredBy()} says of a partition read back from the journal. */
  static final String JOURNALED = "journaled";

  private MeasuredScan() {}

  /**
   * One partition as the scan saw it.
   *
   * @param logStart and logEnd the old cluster's log start and end offsets
   * @param replicatedUpTo the first source offset not on the copy
   * @param transactional whether transactions wrote to it (null: not known)
   */
  record Partition(
      String topic,
      int partition,
      String copy,
      long logStart,
      long logEnd,
      long replicatedUpTo,
      Boolean transactional) {}

  /** The journaled form: JSON-ready (an ISO-8601 instant, records of numbers and names). */
  record Snapshot(
      String tenant,
      String source,
      String target,
      String measuredAt,
      List<Partition> partitions,
      List<GroupLag> groups) {}

  /** {@code lag} as the fact {@code assess} journals: a map of plain values. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> fact(FlowLag lag) {
    List<Partition> parts =
        lag.partitions().stream()
            .map(
                p ->
                    new Partition(
                        p.topic(),
                        p.partition(),
                        p.copy(),
                        p.sourceLogStart(),
                        p.sourceLogEnd(),
                        p.replicatedUpTo(),
                        p.transactional()))
            .toList();
    return Journal.JSON.convertValue(
        new Snapshot(
            lag.tenant(),
            lag.source(),
            lag.target(),
            lag.measuredAt().toString(),
            parts,
            lag.groups()),
        Map.class);
  }

  /** The size of {@code fact} as the journal writes it, in bytes. */
  static int bytes(Map<String, Object> fact) {
    try {
      return Journal.JSON.writeValueAsBytes(fact).length;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the scan cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * The journaled scan as the figures the steps read: partitions and groups as measured then (the
   * partitions' lag and timing fields, which the steps after {@code assess} do not read, are 0 and
   * their {@code measuredBy} is {@link #JOURNALED}); no gaps, no health.
   *
   * @throws IllegalArgumentException when {@code fact} is not a journaled scan
   */
  static FlowLag flowLag(Object fact) {
    Snapshot s = Journal.JSON.convertValue(fact, Snapshot.class);
    Instant at = Instant.parse(s.measuredAt());
    List<PartitionLag> parts =
        s.partitions().stream()
            .map(
                p ->
                    new PartitionLag(
                        p.topic(),
                        p.partition(),
                        p.copy(),
                        p.logStart(),
                        p.logEnd(),
                        p.logEnd(),
                        -1,
                        p.replicatedUpTo(),
                        JOURNALED,
                        Math.max(0, p.logEnd() - Math.max(p.replicatedUpTo(), p.logStart())),
                        0,
                        -1,
                        null,
                        p.transactional(),
                        null,
                        null))
            .toList();
    return new FlowLag(
        s.tenant(),
        s.source(),
        s.target(),
        null,
        parts.stream().mapToLong(PartitionLag::lagRecords).sum(),
        0,
        null,
        parts,
        List.of(),
        s.groups(),
        null,
        null,
        at,
        at);
  }
}
