package dev.kafkadr.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.connect.MirrorFlow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults injected into real processes of a three-broker sandbox while stock MirrorMaker 2
 * replicates: a primary broker killed with SIGKILL, and the Connect worker frozen with SIGSTOP.
 */
class BrokerAndWorkerFaultsIT {

  private static final String TOPIC = "ledger";
  private static final int PARTITIONS = 3;

  private static Sandbox sandbox;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.builder().brokersPerCluster(3).dns(false).brokerHeap("384m").start();
    sandbox
        .primary()
        .createTopics(
            new NewTopic(TOPIC, PARTITIONS, (short) 3).configs(Map.of("min.insync.replicas", "2")));
    new MirrorFlow(
            Sandbox.PRIMARY,
            sandbox.primary().bootstrapServers(),
            Sandbox.SECONDARY,
            sandbox.secondary().bootstrapServers(),
            TOPIC,
            "none",
            3,
            Duration.ofSeconds(1))
        .deploy(sandbox.connect(), Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void everyAcknowledgedRecordSurvivesAPrimaryBrokerKilledMidStreamAndReachesTheSecondary()
      throws Exception {
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (var producer = producer()) {
      for (int i = 0; i < 6000; i++) {
        if (i == 2000) {
          producer.flush();
          sandbox.kill("primary-broker-2");
        }
        String id = "rec-" + i;
        producer.send(
            new ProducerRecord<>(TOPIC, id, id),
            (meta, error) -> {
              if (error == null) {
                acked.add(id);
              } else {
                failure.compareAndSet(null, error);
              }
            });
      }
      producer.flush();
    }
    assertThat(failure.get())
        .as("a send failed although two of three replicas were in sync")
        .isNull();
    assertThat(acked).hasSize(6000);

    sandbox.restart("primary-broker-2");
    try (Admin admin = Admin.create(sandbox.primary().adminConfig())) {
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(
              () ->
                  admin
                      .describeTopics(List.of(TOPIC))
                      .allTopicNames()
                      .get(5, TimeUnit.SECONDS)
                      .get(TOPIC)
                      .partitions()
                      .stream()
                      .allMatch(p -> p.isr().size() == 3));
    }

    Set<String> onSecondary = ConcurrentHashMap.newKeySet();
    try (var consumer = consumer()) {
      consumer.subscribe(List.of("primary." + TOPIC));
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                  onSecondary.add(r.value());
                }
                return onSecondary.containsAll(acked);
              });
    }
    assertThat(onSecondary).containsAll(acked);
  }

  @Test
  void frozenConnectWorkerStallsReplicationAndCatchesUpWhenResumed() throws Exception {
    List<TopicPartition> remote =
        IntStream.range(0, PARTITIONS)
            .mapToObj(p -> new TopicPartition("primary." + TOPIC, p))
            .toList();
    try (Admin secondary = Admin.create(sandbox.secondary().adminConfig());
        Admin primary = Admin.create(sandbox.primary().adminConfig())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> end(secondary, remote) == end(primary, local()));
      long before = end(secondary, remote);

      sandbox.pause("connect-1");
      try (var producer = producer()) {
        for (int i = 0; i < 500; i++) {
          producer.send(new ProducerRecord<>(TOPIC, "frozen-" + i, "frozen-" + i));
        }
        producer.flush();
      }
      long produced = end(primary, local());
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
      assertThat(end(secondary, remote))
          .as("nothing replicates while the worker is frozen")
          .isEqualTo(before);

      sandbox.resume("connect-1");
      await().atMost(Duration.ofSeconds(60)).until(() -> end(secondary, remote) >= produced);
    }
  }

  private static List<TopicPartition> local() {
    return IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
  }

  private static long end(Admin admin, List<TopicPartition> partitions)
      throws InterruptedException, ExecutionException {
    return admin
        .listOffsets(
            partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
        .all()
        .get()
        .values()
        .stream()
        .mapToLong(i -> i.offset())
        .sum();
  }

  private static KafkaProducer<String, String> producer() {
    return new KafkaProducer<>(
        Map.of(
            "bootstrap.servers", sandbox.primary().bootstrapServers(),
            "acks", "all",
            "enable.idempotence", "true",
            "delivery.timeout.ms", "120000"),
        new StringSerializer(),
        new StringSerializer());
  }

  private static KafkaConsumer<String, String> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            "bootstrap.servers",
            sandbox.secondary().bootstrapServers(),
            "group.id",
            "chaos-verify-" + System.nanoTime(),
            "auto.offset.reset",
            "earliest"),
        new StringDeserializer(),
        new StringDeserializer());
  }
}
