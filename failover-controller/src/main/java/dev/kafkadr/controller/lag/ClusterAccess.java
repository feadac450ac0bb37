package dev.kafkadr.controller.lag;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.TenantsFile;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The scanners' connections to the clusters of a tenants file, one admin client and one reader per
 * cluster, kept between scans; counts the admin requests of a scan.
 */
final class ClusterAccess implements AutoCloseable {

  private final TenantsFile file;
  private final Map<String, Admin> admins = new HashMap<>();
  private final Map<String, PartitionReader> readers = new HashMap<>();
  private int requests;

  ClusterAccess(TenantsFile file) {
    this.file = file;
  }

  Admin admin(String alias) {
    return admins.computeIfAbsent(
        alias, a -> Admin.create(ClusterClients.adminConfig(file.cluster(a))));
  }

  PartitionReader reader(String alias) {
    return readers.computeIfAbsent(alias, a -> new PartitionReader(file.cluster(a)));
  }

  /** Committed-read offsets of {@code partitions}: one batched request. */
  Map<TopicPartition, Long> offsets(
      Admin admin, Collection<TopicPartition> partitions, OffsetSpec spec)
      throws ExecutionException, InterruptedException {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> all =
        count(
            admin
                .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all());
    Map<TopicPartition, Long> out = new HashMap<>();
    all.get().forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  Set<String> listTopics(Admin admin) throws ExecutionException, InterruptedException {
    return count(admin.listTopics().names()).get();
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
  }
}
