package dev.kafkadr.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.client.RegistryWatcher;
import dev.kafkadr.controller.traffic.TrafficSwitch;
import dev.kafkadr.testkit.apps.TenantLoad;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Clients that really move: a tenant's producer and consumer on the sandbox, switched from the
 * primary to the secondary by the controller; the time from the switch to the first produce and the
 * first consume on the secondary is printed for each mechanism.
 */
@QuarkusTest
@QuarkusTestResource(value = ClientSwitchTenants.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientsMoveIT {

  private static final String TOPIC = "shop.orders";

  @Inject LagMonitor monitor;

  @TestHTTPResource("/")
  URL controller;

  @Test
  @Order(1)
  void theClientHelperFollowsTheTenantToTheSecondaryWithoutLosingARecord() throws Exception {
    try (RegistryWatcher watcher = SandboxTenants.watch("shop");
        TenantLoad load =
            new TenantLoad(watcher, TOPIC, "shop-app", "secondary", Map.of(), Map.of())) {
      assertThat(watcher.current().cluster()).isEqualTo("primary");
      await().atMost(Duration.ofSeconds(30)).until(() -> load.consumed() >= 300);
      // MM2 has checkpointed the group and synced its offsets to the secondary.
      await().atMost(Duration.ofSeconds(30)).until(ClientsMoveIT::groupSyncedToSecondary);

      Instant switched = Instant.now();
      TrafficSwitch.Move move = monitor.traffic().move("shop", "secondary", false, l -> {});
      assertThat(move.entry().epoch()).isEqualTo(1);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> load.firstProduced() != null && load.firstConsumed() != null);
      int atSwitch = load.sent();
      await().atMost(Duration.ofSeconds(30)).until(() -> load.sent() >= atSwitch + 200);
      load.finish();
      assertThat(load.failure()).isNull();

      var verdict = load.verdict();
      assertThat(verdict.lost()).as(verdict.summary()).isZero();
      assertThat(verdict.readButFailed()).as(verdict.summary()).isZero();
      System.out.printf(
          "client helper: switch -> first produce on secondary %d ms, -> first consume %d ms;"
              + " %d records acked, all consumed, %d read twice (no fence or drain here, offsets"
              + " synced by MM2's checkpoints: the switchover workflow makes it exact)%n",
          Duration.between(switched, load.firstProduced()).toMillis(),
          Duration.between(switched, load.firstConsumed()).toMillis(),
          verdict.acknowledged(),
          verdict.readTwice());
    }
  }

  private static boolean groupSyncedToSecondary() throws Exception {
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            SandboxTenants.sandbox.secondary().adminConfig())) {
      return !admin
          .listConsumerGroupOffsets("shop-app")
          .partitionsToOffsetAndMetadata()
          .get(10, TimeUnit.SECONDS)
          .isEmpty();
    }
  }

  @Test
  @Order(2)
  void aClientStartedAfterTheSwitchGetsTheNewClusterFromTheConfigProvider() {
    Map<String, Object> config = new HashMap<>();
    config.put("config.providers", "kdr");
    config.put("config.providers.kdr.class", "dev.kafkadr.connect.KdrConfigProvider");
    config.put("config.providers.kdr.param.url", controller.toString());
    // The controller under test in this JVM serves plain HTTP.
    config.put("config.providers.kdr.param.insecure", "true");
    config.put("config.providers.kdr.param.user", SandboxTenants.CLIENT);
    config.put("config.providers.kdr.param.password", SandboxTenants.PASSWORD);
    config.put("bootstrap.servers", "${kdr:shop:bootstrap.servers}");
    Instant started = Instant.now();
    try (var producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(TOPIC, "restart", "restart")).get(30, TimeUnit.SECONDS);
      List<String> partitions =
          producer.partitionsFor(TOPIC).stream().map(p -> p.leader().port() + "").toList();
      assertThat(SandboxTenants.sandbox.secondary().bootstrapServers())
          .endsWith(":" + partitions.get(0));
      System.out.printf(
          "config provider: a client (re)started after the switch produced on the secondary %d"
              + " ms after it was created%n",
          Duration.between(started, Instant.now()).toMillis());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Plain Kafka clients, no helper, when the primary dies and their bootstrap name now leads to the
   * secondary: with metadata.recovery.strategy=none they stay with the dead brokers; with
   * rebootstrap they return to the bootstrap address, reach the secondary (the new cluster id is
   * only logged) and carry on from their old positions.
   */
  @Test
  @Order(3)
  void plainClientsOnlyMoveWithRebootstrapWhenThePrimaryDies() throws Exception {
    try (var bootstrap =
        new BootstrapForwarder(SandboxTenants.sandbox.primary().bootstrapServers())) {
      List<RawClient> clients = new ArrayList<>();
      for (String strategy : List.of("none", "rebootstrap")) {
        clients.add(new RawClient(strategy, bootstrap.address()));
      }
      for (RawClient c : clients) {
        c.warmUp();
      }
      for (var node : SandboxTenants.sandbox.primary().nodes()) {
        SandboxTenants.sandbox.kill(node.role());
      }
      bootstrap.pointTo(SandboxTenants.sandbox.secondary().bootstrapServers());
      Instant switched = Instant.now();
      Instant until = switched.plusSeconds(30);
      while (Instant.now().isBefore(until)
          && !(clients.get(1).movedBoth() && Instant.now().isAfter(switched.plusSeconds(15)))) {
        for (RawClient c : clients) {
          c.step(switched);
        }
      }
      for (RawClient c : clients) {
        System.out.println("plain client " + c.report());
        c.close();
      }
      RawClient none = clients.get(0);
      RawClient rebootstrap = clients.get(1);
      assertThat(none.produced.get()).as("strategy none: produced on the secondary").isZero();
      assertThat(none.firstConsumed.get()).as("strategy none: consumed on the secondary").isNull();
      assertThat(rebootstrap.firstProduced.get())
          .as("rebootstrap: produced on the secondary")
          .isNotNull();
      assertThat(rebootstrap.firstConsumed.get())
          .as("rebootstrap: consumed on the secondary")
          .isNotNull();
    }
  }

  /** A plain producer and consumer with one metadata.recovery.strategy. */
  private static final class RawClient implements AutoCloseable {
    final String strategy;
    final KafkaProducer<String, String> producer;
    final KafkaConsumer<String, String> consumer;
    final AtomicInteger produced = new AtomicInteger();
    final AtomicReference<Instant> firstProduced = new AtomicReference<>();
    final AtomicReference<Instant> firstConsumed = new AtomicReference<>();
    final AtomicReference<String> producerError = new AtomicReference<>();
    final Map<Integer, Long> positionsBefore = new HashMap<>();
    String firstRecordAfter = "";
    Instant switched;
    Instant lastSend = Instant.EPOCH;

    RawClient(String strategy, String bootstrap) {
      this.strategy = strategy;
      Map<String, Object> common =
          Map.of(
              "bootstrap.servers",
              bootstrap,
              "metadata.recovery.strategy",
              strategy,
              "reconnect.backoff.max.ms",
              1000,
              "request.timeout.ms",
              5000);
      Map<String, Object> p = new HashMap<>(common);
      p.put("delivery.timeout.ms", 10_000);
      p.put("max.block.ms", 2000);
      p.put("client.id", "shop-plain-" + strategy);
      producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
      Map<String, Object> c = new HashMap<>(common);
      c.put("group.id", "shop-plain-" + strategy);
      c.put("auto.offset.reset", "earliest");
      c.put("enable.auto.commit", false);
      consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
      consumer.subscribe(List.of(TOPIC));
    }

    void warmUp() throws Exception {
      for (int i = 0; i < 20; i++) {
        producer.send(new ProducerRecord<>(TOPIC, "w" + i, "warm")).get(30, TimeUnit.SECONDS);
      }
      Instant deadline = Instant.now().plusSeconds(30);
      while (Instant.now().isBefore(deadline)) {
        consumer.poll(Duration.ofMillis(200));
        if (consumer.assignment().size() == 2
            && consumer.endOffsets(consumer.assignment()).entrySet().stream()
                .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          break;
        }
      }
      consumer.commitSync();
      consumer
          .assignment()
          .forEach(tp -> positionsBefore.put(tp.partition(), consumer.position(tp)));
    }

    void step(Instant switched) {
      this.switched = switched;
      if (Instant.now().isAfter(lastSend.plusMillis(500))) {
        lastSend = Instant.now();
        try {
          producer.send(
              new ProducerRecord<>(TOPIC, "after", strategy),
              (meta, error) -> {
                if (error == null) {
                  produced.incrementAndGet();
                  firstProduced.compareAndSet(null, Instant.now());
                } else {
                  producerError.set(error.getClass().getSimpleName());
                }
              });
        } catch (RuntimeException e) {
          producerError.set(e.getClass().getSimpleName());
        }
      }
      try {
        var records = consumer.poll(Duration.ofMillis(100));
        if (!records.isEmpty() && firstConsumed.compareAndSet(null, Instant.now())) {
          ConsumerRecord<String, String> r = records.iterator().next();
          firstRecordAfter =
              "partition "
                  + r.partition()
                  + " offset "
                  + r.offset()
                  + " (position before: "
                  + positionsBefore.get(r.partition())
                  + ")";
        }
      } catch (RuntimeException e) {
        firstRecordAfter = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    }

    boolean movedBoth() {
      return firstProduced.get() != null && firstConsumed.get() != null;
    }

    String report() {
      return "metadata.recovery.strategy="
          + strategy
          + ": first produce on the secondary "
          + since(firstProduced.get())
          + ", first consume "
          + since(firstConsumed.get())
          + "; produced "
          + produced.get()
          + ", last producer error "
          + producerError.get()
          + "; first record read after the switch: "
          + (firstRecordAfter.isEmpty() ? "none" : firstRecordAfter);
    }

    private String since(Instant at) {
      return at == null ? "never" : Duration.between(switched, at).toMillis() + " ms";
    }

    @Override
    public void close() {
      producer.close(Duration.ofSeconds(1));
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(1)));
    }
  }
}
