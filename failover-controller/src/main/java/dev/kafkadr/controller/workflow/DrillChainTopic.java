package dev.kafkadr.controller.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.ClusterSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The append-only place outside the report store where each drill report's SHA-256 (the chain head)
 * is published as it is written: the topic {@value #TOPIC} on each of the tenant's clusters, one
 * partition, {@code cleanup.policy=delete} with unlimited retention (time and size), so that
 * nothing is compacted or aged out. Each record: key the tenant, value {@code {"tenant",
 * "sequence", "drill", "sha256", "writtenAt"}}. A report store edited by someone holding the
 * signing key still disagrees with the heads published on both clusters and in the audit log.
 */
public final class DrillChainTopic {

  /** The topic's name (kafka-dr's own namespace, never a tenant's). */
  public static final String TOPIC = "kdr.drill-chain";

  private static final ObjectMapper JSON = new ObjectMapper();

  private DrillChainTopic() {}

  /**
   * Publishes one head on {@code cluster} (the topic created on first use), acknowledged by every
   * in-sync replica.
   *
   * @return the record's offset
   * @throws Exception when the cluster does not take it within 30 s
   */
  static long publish(ClusterSpec cluster, Admin admin, String tenant, Map<String, Object> head)
      throws Exception {
    ensure(admin);
    Map<String, Object> config = new HashMap<>(ClusterClients.adminConfig(cluster));
    config.put("client.id", "kdr-drill-chain");
    config.put("acks", "all");
    config.put("enable.idempotence", true);
    config.put("max.block.ms", 20_000);
    config.put("delivery.timeout.ms", 30_000);
    try (var producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      return producer
          .send(new ProducerRecord<>(TOPIC, tenant, JSON.writeValueAsString(head)))
          .get(30, TimeUnit.SECONDS)
          .offset();
    }
  }

  private static void ensure(Admin admin) throws Exception {
    if (admin.listTopics().names().get(20, TimeUnit.SECONDS).contains(TOPIC)) {
      return;
    }
    int brokers = admin.describeCluster().nodes().get(20, TimeUnit.SECONDS).size();
    NewTopic topic =
        new NewTopic(TOPIC, 1, (short) Math.min(3, brokers))
            .configs(
                Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1"));
    try {
      admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  /**
   * The heads a chain check of {@code tenantDir} holds against on a cluster whose topic has {@code
   * heads}: those, and the SHA-256 of every report older than the first one published there
   * (written before this version published heads; the audit log vouches for them).
   */
  public static java.util.Set<String> expected(
      java.nio.file.Path tenantDir, Map<String, Long> heads) {
    long first = heads.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
    java.util.Set<String> out = new java.util.HashSet<>(heads.keySet());
    for (var file : dev.kafkadr.config.drill.DrillReports.reports(tenantDir)) {
      JsonNode report = dev.kafkadr.config.drill.DrillReports.read(file);
      if (report.path("sequence").asLong() < first) {
        try {
          out.add(
              dev.kafkadr.config.drill.DrillReports.sha256(java.nio.file.Files.readAllBytes(file)));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
    return out;
  }

  /**
   * Every head of {@code tenant} published on {@code cluster}: SHA-256 to report sequence, in
   * order; empty when the topic is not there.
   *
   * @throws Exception when the cluster cannot be read within 30 s
   */
  public static Map<String, Long> heads(ClusterSpec cluster, String tenant) throws Exception {
    Map<String, Long> out = new LinkedHashMap<>();
    Map<String, Object> config =
        new HashMap<>(ClusterClients.readerConfig(cluster, "kdr-drill-chain-reader"));
    byte[] key = tenant.getBytes(StandardCharsets.UTF_8);
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      if (!consumer.listTopics(Duration.ofSeconds(20)).containsKey(TOPIC)) {
        return out;
      }
      TopicPartition tp = new TopicPartition(TOPIC, 0);
      long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(20)).get(tp);
      DrillCompare.read(
          consumer,
          tp,
          consumer.beginningOffsets(List.of(tp), Duration.ofSeconds(20)).get(tp),
          end,
          r -> {
            if (java.util.Arrays.equals(key, r.key())) {
              try {
                JsonNode head = JSON.readTree(r.value());
                out.put(head.path("sha256").asText(), head.path("sequence").asLong());
              } catch (java.io.IOException e) {
                // not a head: nothing kafka-dr wrote; it proves nothing either way
              }
            }
          });
    }
    return out;
  }
}
