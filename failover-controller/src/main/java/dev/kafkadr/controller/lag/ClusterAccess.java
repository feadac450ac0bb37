package dev.kafkadr.controller.lag;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.TenantsFile;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The scanners' connections to the clusters of a tenants file, one admin client and one reader per
 * cluster, kept between scans; counts the admin requests of a scan. Every call is bounded by the
 * scan's read timeout, and offsets are answered per partition: a partition whose answer failed or
 * did not come in time is named with why, never given a number.
 */
final class ClusterAccess implements AutoCloseable {

  private final TenantsFile file;
  private final Duration timeout;
  private final Map<String, Admin> admins = new HashMap<>();
  private final Map<String, PartitionReader> readers = new HashMap<>();
  private final Map<String, PartitionReader> uncommittedReaders = new HashMap<>();
  private int requests;

  ClusterAccess(TenantsFile file, Duration timeout) {
    this.file = file;
    this.timeout = timeout;
  }

  Admin admin(String alias) {
    return admins.computeIfAbsent(
        alias, a -> Admin.create(ClusterClients.adminConfig(file.cluster(a))));
  }

  PartitionReader reader(String alias) {
    return readers.computeIfAbsent(alias, a -> new PartitionReader(file.cluster(a)));
  }

  /** A reader of every record, committed or not (the first record of an open transaction). */
  PartitionReader uncommittedReader(String alias) {
    return uncommittedReaders.computeIfAbsent(
        alias, a -> new PartitionReader(file.cluster(a), false));
  }

  /** The longest a read of the scan may take. */
  Duration timeout() {
    return timeout;
  }

  /**
   * Offsets per partition, and why each partition without one has none.
   *
   * @param values the offset of each partition that answered
   * @param failures why each other partition did not
   */
  record Offsets(Map<TopicPartition, Long> values, Map<TopicPartition, String> failures) {}

  /** Committed-read offsets of {@code partitions}: one batched request, answered per partition. */
  Offsets offsets(Admin admin, Collection<TopicPartition> partitions, OffsetSpec spec)
      throws InterruptedException {
    return offsets(admin, partitions, spec, IsolationLevel.READ_COMMITTED);
  }

  /**
   * Offsets of {@code partitions} as a reader at {@code isolation} sees them (the latest offset
   * read uncommitted is the high watermark, read committed the last stable offset).
   */
  Offsets offsets(
      Admin admin, Collection<TopicPartition> partitions, OffsetSpec spec, IsolationLevel isolation)
      throws InterruptedException {
    Map<TopicPartition, Long> values = new HashMap<>();
    Map<TopicPartition, String> failures = new HashMap<>();
    if (partitions.isEmpty()) {
      return new Offsets(values, failures);
    }
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    ListOffsetsResult result =
        count(
            admin.listOffsets(
                request, new ListOffsetsOptions(isolation).timeoutMs((int) timeout.toMillis())));
    long until = System.nanoTime() + timeout.plusSeconds(1).toNanos();
    for (TopicPartition tp : partitions) {
      KafkaFuture<ListOffsetsResult.ListOffsetsResultInfo> f = result.partitionResult(tp);
      try {
        long left = Math.max(0, until - System.nanoTime());
        values.put(tp, f.get(left, TimeUnit.NANOSECONDS).offset());
      } catch (ExecutionException e) {
        failures.put(tp, "listOffsets " + name(spec, isolation) + ": " + e.getCause().toString());
      } catch (TimeoutException e) {
        failures.put(tp, "listOffsets " + name(spec, isolation) + ": no answer within " + timeout);
      }
    }
    return new Offsets(values, failures);
  }

  private static String name(OffsetSpec spec, IsolationLevel isolation) {
    return spec instanceof OffsetSpec.EarliestSpec
        ? "earliest"
        : isolation == IsolationLevel.READ_COMMITTED ? "latest stable" : "high watermark";
  }

  Set<String> listTopics(Admin admin) throws ExecutionException, InterruptedException {
    try {
      return count(
              admin.listTopics(new ListTopicsOptions().timeoutMs((int) timeout.toMillis())).names())
          .get(timeout.plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ExecutionException(
          new org.apache.kafka.common.errors.TimeoutException(
              "listTopics: no answer within " + timeout));
    }
  }

  /** Counts one admin request; returns it. */
  <T> T count(T request) {
    requests++;
    return request;
  }

  int requests() {
    return requests;
  }

  void resetRequests() {
    requests = 0;
  }

  @Override
  public void close() {
    admins.values().forEach(Admin::close);
    readers.values().forEach(PartitionReader::close);
    uncommittedReaders.values().forEach(PartitionReader::close);
  }
}
