package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.registry.BootstrapRegistry;
import dev.kafkadr.controller.traffic.TrafficSwitch;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The steps that hand the tenant's clients the new cluster and prove it works. */
final class Finish {

  /** Where probes are written on a new primary: kafka-dr's own topic, never a tenant's. */
  static final String PROBE_TOPIC = "kdr.probe";

  private Finish() {}

  /** DNS, then the bootstrap registry (issue 6's traffic switch). */
  static final class SwitchTraffic implements Step {
    @Override
    public String name() {
      return "switch-traffic";
    }

    @Override
    public String plan(StepContext c) {
      return String.join(
          "; ", c.monitor().traffic().move(c.tenant().id(), c.to().alias(), true, l -> {}).steps());
    }

    @Override
    public Outcome run(StepContext c) {
      BootstrapRegistry.Entry now = c.monitor().bootstrap().get(c.tenant().id()).orElseThrow();
      Object startEpoch = c.facts().get("startEpoch");
      if (now.cluster().equals(c.to().alias())
          && startEpoch instanceof Number n
          && now.epoch() > n.longValue()) {
        return Outcome.of("already switched to " + now.cluster() + " (epoch " + now.epoch() + ")");
      }
      java.util.concurrent.atomic.AtomicInteger attempts =
          new java.util.concurrent.atomic.AtomicInteger();
      long first = System.nanoTime();
      long[] lastStarted = {first};
      TrafficSwitch.Move move =
          DnsRetry.run(
              c.settings().dnsTimeout(),
              c::progress,
              attempts,
              TrafficSwitch.Move.class,
              () -> {
                lastStarted[0] = System.nanoTime();
                return c.monitor()
                    .traffic()
                    .move(c.tenant().id(), c.to().alias(), false, c::progress, c::beforeEffect);
              });
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("dnsAttempts", attempts.get());
      facts.put("epoch", move.entry().epoch());
      facts.put("bootstrapServers", move.entry().bootstrapServers());
      move.dnsChange().ifPresent(id -> facts.put("dnsChange", id));
      // DNS's share of the step, the failed attempts and the waits between them included
      facts.put("dnsMillis", (lastStarted[0] - first) / 1_000_000 + move.dnsTime().toMillis());
      // The RTO as clients see it: from the trigger until they are handed the new cluster.
      facts.put(
          "trafficSwitchedMillis",
          java.time.Duration.between(c.triggeredAt(), java.time.Instant.now()).toMillis());
      return new Outcome(String.join("; ", move.steps()), facts);
    }
  }

  /**
   * Proves the new primary takes writes and serves reads (a probe record on kafka-dr's own topic,
   * read back), that the tenant's producers are no longer denied there, and still are on the old
   * cluster.
   */
  static final class Verify implements Step {
    @Override
    public String name() {
      return "verify";
    }

    @Override
    public String plan(StepContext c) {
      return "would write a probe record to "
          + PROBE_TOPIC
          + " on "
          + c.to().alias()
          + ", read it back, and check the fences";
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      Admin admin = c.admin(c.to());
      ensureProbeTopic(admin);
      Map<String, Object> config =
          new java.util.HashMap<>(dev.kafkadr.config.ClusterClients.adminConfig(c.to()));
      config.put("client.id", "kdr-controller-probe");
      long started = System.nanoTime();
      RecordMetadata written;
      c.beforeEffect("records");
      try (var producer =
          new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
        written =
            producer
                .send(new ProducerRecord<>(PROBE_TOPIC, c.tenant().id(), c.workflowId()))
                .get(20, TimeUnit.SECONDS);
      }
      config.put("enable.auto.commit", false);
      String read = null;
      try (var consumer =
          new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
        TopicPartition tp = new TopicPartition(PROBE_TOPIC, written.partition());
        consumer.assign(List.of(tp));
        consumer.seek(tp, written.offset());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (read == null && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.offset() == written.offset()) {
              read = r.value();
            }
          }
        }
      }
      if (!c.workflowId().equals(read)) {
        throw new WorkflowException(
            "the probe written to " + PROBE_TOPIC + " on " + c.to().alias() + " was not read back");
      }
      long probeMillis = (System.nanoTime() - started) / 1_000_000;
      var producers = Fences.bindings(c.file(), c.tenant(), Fences.Kind.PRODUCERS);
      if (Fences.missing(admin, producers).size() != producers.size()) {
        throw new WorkflowException("the tenant's producers are still denied on " + c.to().alias());
      }
      if (c.kind() != WorkflowKind.FAILOVER
          && !Fences.missing(c.admin(c.from()), producers).isEmpty()) {
        throw new WorkflowException(
            "the tenant's producers are not denied on " + c.from().alias() + " any more");
      }
      return new Outcome(
          "probe written and read back on "
              + c.to().alias()
              + " in "
              + probeMillis
              + " ms; producers allowed there"
              + (c.kind() == WorkflowKind.FAILOVER ? "" : ", denied on " + c.from().alias()),
          Map.of("probeMillis", probeMillis));
    }

    private static void ensureProbeTopic(Admin admin) throws Exception {
      Set<String> names = admin.listTopics().names().get(20, TimeUnit.SECONDS);
      if (!names.contains(PROBE_TOPIC)) {
        ensureTopic(admin, PROBE_TOPIC);
      }
    }
  }

  /**
   * Creates one-partition topic {@code topic} (replicated up to 3 times, as the brokers allow); one
   * that exists already is left as it is.
   */
  static void ensureTopic(Admin admin, String topic) throws Exception {
    int brokers = admin.describeCluster().nodes().get(20, TimeUnit.SECONDS).size();
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) Math.min(3, brokers))))
          .all()
          .get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }
}
