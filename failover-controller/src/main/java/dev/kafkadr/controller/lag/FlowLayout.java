package dev.kafkadr.controller.lag;

import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.tenant.NamingMode;
import dev.kafkadr.tenant.Patterns;
import dev.kafkadr.tenant.Tenant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The tenants' source partitions on a flow and what the target holds of each: its copy partition, a
 * copy verified absent (the target's metadata answered and has no such partition), or why the
 * target could not tell.
 *
 * @param tenantOf each source partition's tenant, in file order
 * @param copyOf each source partition's copy, where it exists on the target
 * @param noCopy source partitions whose copy the target's metadata shows absent
 * @param unknown why the target could not tell, for each other source partition
 * @param targetTopics every topic on the target (empty when the target did not answer)
 * @param sourceTopicIds the id of each of the tenants' source topics, as described
 */
record FlowLayout(
    Map<TopicPartition, String> tenantOf,
    Map<TopicPartition, TopicPartition> copyOf,
    Set<TopicPartition> noCopy,
    Map<TopicPartition, String> unknown,
    Set<String> targetTopics,
    Map<String, String> sourceTopicIds) {

  /**
   * Reads the layout of {@code flow}.
   *
   * @throws ExecutionException when the source cannot say which partitions the tenants have
   */
  static FlowLayout read(TenantsFile file, FlowSpec flow, ClusterAccess clusters)
      throws ExecutionException, InterruptedException {
    Admin source = clusters.admin(flow.source());
    Set<String> sourceTopics = clusters.listTopics(source);
    Map<String, String> tenantOfTopic = new LinkedHashMap<>();
    for (String id : flow.tenants()) {
      Patterns.Compiled patterns = tenant(file, id).topics().compile();
      sourceTopics.stream()
          .filter(t -> !LagScanner.isInternal(t))
          .filter(patterns::matches)
          .sorted()
          .forEach(t -> tenantOfTopic.putIfAbsent(t, id));
    }
    Map<String, TopicDescription> described = describe(source, tenantOfTopic.keySet(), clusters);
    Map<String, String> ids = new HashMap<>();
    described.forEach((t, d) -> ids.put(t, d.topicId().toString()));
    Map<TopicPartition, String> tenantOf = new LinkedHashMap<>();
    Map<TopicPartition, String> copyTopicOf = new LinkedHashMap<>();
    for (var e : tenantOfTopic.entrySet()) {
      Tenant tenant = tenant(file, e.getValue());
      String copy =
          tenant.naming() == NamingMode.PREFIXED ? flow.source() + "." + e.getKey() : e.getKey();
      for (var p : described.get(e.getKey()).partitions()) {
        TopicPartition tp = new TopicPartition(e.getKey(), p.partition());
        tenantOf.put(tp, e.getValue());
        copyTopicOf.put(tp, copy);
      }
    }
    Map<TopicPartition, TopicPartition> copyOf = new HashMap<>();
    Set<TopicPartition> noCopy = new java.util.HashSet<>();
    Map<TopicPartition, String> unknown = new HashMap<>();
    Set<String> targetTopics;
    try {
      targetTopics = clusters.listTopics(clusters.admin(flow.target()));
    } catch (ExecutionException e) {
      String why = flow.target() + " did not list its topics: " + e.getCause();
      tenantOf.keySet().forEach(tp -> unknown.put(tp, why));
      return new FlowLayout(tenantOf, copyOf, noCopy, unknown, Set.of(), ids);
    }
    List<String> copies =
        copyTopicOf.values().stream().distinct().filter(targetTopics::contains).toList();
    Map<String, Object> copyDescriptions =
        describeEach(clusters.admin(flow.target()), copies, clusters);
    for (var e : copyTopicOf.entrySet()) {
      TopicPartition tp = e.getKey();
      Object d = copyDescriptions.get(e.getValue());
      if (d == null) {
        noCopy.add(tp); // the target listed its topics completely: no such topic
      } else if (d instanceof String why) {
        unknown.put(tp, flow.target() + " did not describe " + e.getValue() + ": " + why);
      } else if (((TopicDescription) d)
          .partitions().stream().anyMatch(p -> p.partition() == tp.partition())) {
        copyOf.put(tp, new TopicPartition(e.getValue(), tp.partition()));
      } else {
        noCopy.add(tp); // the copy topic has fewer partitions: this one is not copied yet
      }
    }
    return new FlowLayout(tenantOf, copyOf, noCopy, unknown, targetTopics, ids);
  }

  /**
   * The ids of {@code topics} on the flow's source now (a topic gone is absent).
   *
   * @throws ExecutionException when the source does not answer
   */
  static Map<String, String> topicIds(FlowSpec flow, Set<String> topics, ClusterAccess clusters)
      throws ExecutionException, InterruptedException {
    Map<String, String> ids = new HashMap<>();
    Admin source = clusters.admin(flow.source());
    for (var e : describeEach(source, List.copyOf(topics), clusters).entrySet()) {
      if (e.getValue() instanceof TopicDescription d) {
        ids.put(e.getKey(), d.topicId().toString());
      }
    }
    return ids;
  }

  private static Map<String, TopicDescription> describe(
      Admin admin, Set<String> topics, ClusterAccess clusters)
      throws ExecutionException, InterruptedException {
    if (topics.isEmpty()) {
      return Map.of();
    }
    try {
      return clusters
          .count(admin.describeTopics(topics, options(clusters)).allTopicNames())
          .get(clusters.timeout().plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ExecutionException(
          new org.apache.kafka.common.errors.TimeoutException(
              "describeTopics: no answer within " + clusters.timeout()));
    }
  }

  /** Each topic's description, a String saying why it failed, or nothing when it does not exist. */
  private static Map<String, Object> describeEach(
      Admin admin, List<String> topics, ClusterAccess clusters) throws InterruptedException {
    Map<String, Object> out = new HashMap<>();
    if (topics.isEmpty()) {
      return out;
    }
    Map<String, KafkaFuture<TopicDescription>> futures =
        clusters.count(admin.describeTopics(topics, options(clusters))).topicNameValues();
    long until = System.nanoTime() + clusters.timeout().plusSeconds(1).toNanos();
    for (var e : futures.entrySet()) {
      try {
        out.put(
            e.getKey(),
            e.getValue().get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (ExecutionException x) {
        if (!(x.getCause() instanceof UnknownTopicOrPartitionException)) {
          out.put(e.getKey(), x.getCause().toString());
        }
      } catch (TimeoutException x) {
        out.put(e.getKey(), "no answer within " + clusters.timeout());
      }
    }
    return out;
  }

  private static DescribeTopicsOptions options(ClusterAccess clusters) {
    return new DescribeTopicsOptions().timeoutMs((int) clusters.timeout().toMillis());
  }

  private static Tenant tenant(TenantsFile file, String id) {
    return file.tenants().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
  }

  /** Every source partition of {@code tenant}, in order. */
  List<TopicPartition> partitionsOf(String tenant) {
    List<TopicPartition> out = new ArrayList<>();
    tenantOf.forEach(
        (tp, t) -> {
          if (t.equals(tenant)) {
            out.add(tp);
          }
        });
    return out;
  }
}
