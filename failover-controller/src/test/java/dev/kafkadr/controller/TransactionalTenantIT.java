package dev.kafkadr.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.client.FollowingConsumer;
import dev.kafkadr.client.FollowingProducer;
import dev.kafkadr.client.RegistryWatcher;
import dev.kafkadr.testkit.history.CheckedProducer;
import dev.kafkadr.testkit.history.CheckedTransactions;
import dev.kafkadr.testkit.history.GroupReader;
import dev.kafkadr.testkit.history.History;
import dev.kafkadr.testkit.history.Sender;
import dev.kafkadr.testkit.history.Verdict;
import dev.kafkadr.testkit.prometheus.Promtool;
import dev.kafkadr.testkit.prometheus.ScrapeRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Transactional tenants on the sandbox: only committed records reach the copy and count as lag; a
 * transaction held open is at risk, named, copied only once committed, and alerted on; a switchover
 * whose drain cannot finish rolls back and leaves no fence; a switchover and a failback under load
 * from a transactional producer and from a Kafka Streams exactly-once application lose nothing and
 * read nothing twice (the history checker), and no aborted record is ever copied.
 */
@QuarkusTest
@QuarkusTestResource(value = TransactionalTenants.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransactionalTenantIT {

  /** Held open from the first test to the last: at least 60 s. */
  private static KafkaProducer<String, String> held;

  private static long heldSince;
  private static ScrapeRecorder scrape;

  @AfterAll
  static void close() {
    if (scrape != null) {
      scrape.close();
    }
    if (held != null) {
      held.close(Duration.ofSeconds(5));
    }
  }

  @Test
  @Order(1)
  void aTransactionHeldOpenIsAtRiskAndNamed() throws Exception {
    heldSince = System.currentTimeMillis();
    scrape =
        new ScrapeRecorder(
            URI.create("http://127.0.0.1:" + io.restassured.RestAssured.port + "/q/metrics"),
            SandboxTenants.VIEWER,
            SandboxTenants.PASSWORD,
            List.of("kdr_tenant_open_transaction_age_seconds"),
            Duration.ofMillis(500));
    held = Transactions.onPrimary(null, "hold-app");
    held.beginTransaction();
    for (int i = 0; i < 3; i++) {
      held.send(new ProducerRecord<>("hold.events", 0, "k", "held-" + i));
    }
    held.flush();

    JsonPath lag =
        Api.awaitLag(
            "hold",
            l -> l.getLong("flows[0].lagRecords") == 3 && partition(l, "hold.events") != null);
    assertThat(lag.getString(partition("hold.events") + ".openTransaction.description"))
        .startsWith("held by an open transaction since 20")
        .contains("producer id", "3 offsets");
    assertThat(lag.getBoolean(partition("hold.events") + ".transactional")).isTrue();
    assertThat(lag.getDouble("flows[0].lagSeconds")).isGreaterThanOrEqualTo(0);
  }

  @Test
  @Order(2)
  void onlyCommittedRecordsReachTheCopyAndMarkersAreNoLag() throws Exception {
    try (var p = Transactions.onPrimary(SecuredTenants.PRODUCER, "shop-tx-once")) {
      p.beginTransaction();
      for (int i = 0; i < 10; i++) {
        p.send(new ProducerRecord<>("shop.tx", 0, "k", "committed-" + i));
      }
      p.commitTransaction();
      p.beginTransaction();
      for (int i = 0; i < 5; i++) {
        p.send(new ProducerRecord<>("shop.tx", 0, "k", "aborted-" + i));
      }
      p.flush();
      // The source log really holds the aborted records before they are aborted.
      assertThat(Transactions.read(primary(), "shop.tx", false, Duration.ofSeconds(10)))
          .hasSize(15);
      p.abortTransaction();
    }
    assertThat(Transactions.read(primary(), "shop.tx", true, Duration.ofSeconds(10))).hasSize(10);

    JsonPath lag =
        Api.awaitLag(
            "shop",
            l ->
                l.getLong(partition("shop.tx") + ".sourceLogEnd") == 17
                    && l.getLong(partition("shop.tx") + ".lagRecords") == 0);
    assertThat(lag.getString(partition("shop.tx") + ".measuredBy")).isEqualTo("provenance");
    for (boolean committedOnly : List.of(true, false)) {
      assertThat(Transactions.read(secondary(), "shop.tx", committedOnly, Duration.ofSeconds(10)))
          .as("the copy read " + (committedOnly ? "committed" : "uncommitted"))
          .hasSize(10)
          .allMatch(v -> v.startsWith("committed-"));
    }
  }

  /**
   * Records keep arriving (from a principal no fence stops, every 10 ms) and replication is paused
   * as soon as the preflight has passed: the drain cannot finish within its 15 s, and the
   * switchover rolls back: no DENY ACL left on either cluster, the tenant where it was.
   */
  @Test
  @Order(3)
  void aSwitchoverWhoseDrainCannotFinishRollsBackAndLeavesNoFence() throws Exception {
    var connect = SandboxTenants.sandbox.connect();
    String source = "shop.primary-to-secondary.source";
    java.util.concurrent.atomic.AtomicBoolean writing =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread writer = new Thread(() -> writeUntil(writing), "unfenced-writer");
    writer.start();
    try {
      String id = Api.start("shop", "switchover");
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> "DONE".equals(step(id, "preflight")));
      connect.pause(source);
      JsonPath done = Api.awaitEnd(id);
      assertThat(done.getString("state")).as(done.prettify()).isEqualTo("ROLLED_BACK");
      assertThat(done.getString("error"))
          .contains("drain", "rolled back, the tenant stays on primary", "DENY ACLs");
      assertThat(done.getString("steps.find { it.name == 'fence-producers' }.state"))
          .isEqualTo("COMPENSATED");
      for (var cluster : List.of(primary(), secondary())) {
        try (Admin admin = Admin.create(cluster)) {
          assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS))
              .as("DENY ACLs left behind")
              .noneMatch(b -> b.entry().permissionType() == AclPermissionType.DENY);
        }
      }
      assertThat(registryCluster()).isEqualTo("primary");
      System.out.println("drain that could not finish: " + done.getString("error"));
    } finally {
      writing.set(false);
      writer.join(10_000);
      connect.resume(source);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> connect.status(source).isRunning());
    Api.awaitLag("shop", l -> l.getLong("flows[0].lagRecords") == 0);
  }

  /** Writes to shop.orders every 10 ms as the sandbox's administrator, until told to stop. */
  private static void writeUntil(java.util.concurrent.atomic.AtomicBoolean writing) {
    try (var p =
        new KafkaProducer<>(
            primary(),
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.StringSerializer())) {
      for (int i = 0; writing.get(); i++) {
        p.send(new ProducerRecord<>("shop.orders", "k", "unfenced-" + i));
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
      }
    }
  }

  private static String step(String workflow, String step) {
    return Api.viewer()
        .get("/api/workflows/" + workflow)
        .jsonPath()
        .getString("steps.find { it.name == '" + step + "' }.state");
  }

  @Test
  @Order(4)
  void aSwitchoverAndAFailbackUnderTransactionalLoadLoseNothing() throws Exception {
    History history = History.create();
    try (RegistryWatcher watcher = SandboxTenants.watch("shop");
        GroupReader reader = groupReader(history, watcher, "shop.orders", "shop-app");
        CheckedTransactions producer =
            new CheckedTransactions(
                history,
                0,
                Transactions.factory(watcher, "shop-tx-app"),
                "shop.orders",
                8,
                300,
                5,
                7)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> producer.committed() >= 300);
      JsonPath there = Api.awaitEnd(Api.start("shop", "switchover"));
      assertThat(there.getString("state")).as(there.prettify()).isEqualTo("SUCCEEDED");
      long after = producer.committed();
      await().atMost(Duration.ofSeconds(60)).until(() -> producer.committed() >= after + 300);
      JsonPath back = Api.awaitEnd(Api.start("shop", "failback"));
      assertThat(back.getString("state")).as(back.prettify()).isEqualTo("SUCCEEDED");
      long home = producer.committed();
      await().atMost(Duration.ofSeconds(60)).until(() -> producer.committed() >= home + 300);
      producer.close();
      await().atMost(Duration.ofSeconds(60)).until(() -> history.verdict("shop-app").lost() == 0);
      Verdict v = history.verdict("shop-app");
      System.out.printf(
          "transactional load through a switchover and a failback: %s; producer restarted %d"
              + " times; ended %s and %s%n",
          v.summary(),
          producer.restarts(),
          there.getString("steps.find { it.name == 'end-transactions' }.detail"),
          back.getString("steps.find { it.name == 'verify-copy' }.detail"));
      assertThat(v.lost()).as(v.summary()).isZero();
      assertThat(v.readTwice()).as(v.summary()).isZero();
      assertThat(v.readButFailed()).as("aborted records read: " + v.summary()).isZero();
      assertThat(v.outOfOrder()).as(v.summary()).isZero();
      assertThat(v.failed()).as("transactions aborted on purpose and by the fences").isPositive();
      assertThat(there.getLong("facts.recordsLost")).isZero();
      assertThat(back.getLong("facts.recordsLost")).isZero();
    }
    assertNoAbortedRecordWasCopied(history, "shop.orders");
  }

  @Test
  @Order(5)
  void aKafkaStreamsExactlyOnceApplicationMovesWithItsTenant() throws Exception {
    History history = History.create();
    try (RegistryWatcher watcher = SandboxTenants.watch("shop");
        GroupReader output = groupReader(history, watcher, "shop.output", "shop-output");
        Transactions.StreamsApp app = new Transactions.StreamsApp(watcher);
        CheckedProducer input = inputProducer(history, watcher)) {
      watcher.onSwitch(l -> app.follow());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> history.reader("shop-output").count() >= 200);
      for (String kind : List.of("switchover", "failback")) {
        JsonPath done = Api.awaitEnd(Api.start("shop", kind));
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("SUCCEEDED");
        app.follow();
        long read = history.reader("shop-output").count();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> history.reader("shop-output").count() >= read + 200);
      }
      input.stop(Duration.ofSeconds(30));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> history.verdict("shop-output").lost() == 0);
      Verdict v = history.verdict("shop-output");
      System.out.printf(
          "Kafka Streams exactly-once application through a switchover and a failback (started %d"
              + " times): %s%n",
          app.starts(), v.summary());
      assertThat(app.starts()).isEqualTo(3);
      assertThat(v.lost()).as(v.summary()).isZero();
      assertThat(v.readTwice()).as("output records twice: " + v.summary()).isZero();
      assertThat(v.readButFailed()).as(v.summary()).isZero();
    }
  }

  @Test
  @Order(6)
  void theHeldTransactionShowsNothingOnTheCopyUntilItCommitsAndItsAlertFires() throws Exception {
    long waited = System.currentTimeMillis() - heldSince;
    await()
        .atMost(Duration.ofSeconds(70))
        .until(() -> System.currentTimeMillis() - heldSince >= 60_000);
    for (boolean committedOnly : List.of(true, false)) {
      assertThat(
              Transactions.read(
                  secondary(), "primary.hold.events", committedOnly, Duration.ofSeconds(5)))
          .as("the copy of the open transaction after " + waited / 1000 + " s")
          .isEmpty();
    }
    held.commitTransaction();
    long committedAt = System.currentTimeMillis();
    Api.awaitLag("hold", l -> l.getLong("flows[0].lagRecords") == 0);
    assertThat(Transactions.read(secondary(), "primary.hold.events", true, Duration.ofSeconds(10)))
        .containsExactly("held-0", "held-1", "held-2");
    await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
    int seconds = (int) ((System.currentTimeMillis() - heldSince) / 1000);
    String series =
        scrape.series().stream()
            .filter(s -> s.contains("tenant=\"hold\""))
            .findFirst()
            .orElseThrow(() -> new AssertionError("scraped: " + scrape.series()));
    Promtool.check(
        Path.of("..", "configs", "prometheus", "kafka-dr-alerts.yaml"),
        Map.of("> 900", "> 20"),
        List.of(new Promtool.Series(series, scrape.grid(series, heldSince, seconds, 0))),
        List.of(
            new Promtool.Expect(10, "KafkaDrTransactionHanging", List.of()),
            new Promtool.Expect(
                (int) ((committedAt - heldSince) / 1000) - 5,
                "KafkaDrTransactionHanging",
                List.of(
                    Map.of(
                        "severity", "critical",
                        "tenant", "hold",
                        "source", "primary",
                        "target", "secondary"))),
            new Promtool.Expect(seconds - 1, "KafkaDrTransactionHanging", List.of())),
        Files.createTempDirectory("kdr-promtool"));
  }

  /**
   * Tenant {@code ledger} runs on the exactly-once Connect group: its copies are written in
   * transactions (the copy holds a marker for each), and the controller measures the flow there,
   * reads its connectors from that group and says its delivery, in the API and on the status page.
   */
  @Test
  @Order(7)
  void anExactlyOnceTenantIsMeasuredOnItsOwnConnectCluster() throws Exception {
    History history = History.create();
    Map<String, Object> c = new HashMap<>(primary());
    c.put("acks", "all");
    CheckedProducer producer =
        new CheckedProducer(
            history,
            0,
            Sender.of(
                new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer()),
                "primary"),
            List.of("ledger.events"),
            8,
            500,
            0);
    try (producer;
        var copy =
            new dev.kafkadr.testkit.history.CopyReader(
                history,
                "copy",
                "secondary",
                secondary(),
                List.of("primary.ledger.events"),
                Duration.ofSeconds(1))) {
      await().pollDelay(Duration.ofSeconds(4)).until(() -> true);
      producer.stop(Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(60)).until(() -> history.verdict("copy").lost() == 0);
      Verdict v = history.verdict("copy");
      System.out.println("exactly-once tenant ledger: " + v.summary());
      assertThat(v.readTwice()).isZero();
      assertThat(v.acknowledged()).isPositive();

      JsonPath lag =
          Api.awaitLag(
              "ledger",
              l ->
                  l.getLong("flows[0].lagRecords") == 0
                      && "RUNNING".equals(l.getString("flows[0].health.replication")));
      assertThat(lag.getString("flows[0].health.delivery")).isEqualTo("exactly-once");
      assertThat(lag.getString("flows[0].health.connectCluster")).isEqualTo("eos");
      assertThat(lag.getString("flows[0].status")).isEqualTo("OK");
      assertThat(
              Api.viewer()
                  .get("/api/tenants/shop/lag")
                  .jsonPath()
                  .getString("flows[0].health.delivery"))
          .isEqualTo("at-least-once");
      assertThat(SandboxTenants.sandbox.secondary().endOffsetSum("primary.ledger.events"))
          .as("copy offsets: one more than each record for each transaction's marker")
          .isGreaterThan(v.distinctRead());
    }
    String dom = HeadlessChromium.statusPage();
    assertThat(dom)
        .contains(
            "data-tenant=\"ledger\"",
            "<td class=\"delivery\">exactly-once<div>on eos</div></td>",
            "<td class=\"delivery\">at-least-once</td>");
  }

  // --- helpers ------------------------------------------------------------------------------

  private static void assertNoAbortedRecordWasCopied(History history, String topic)
      throws Exception {
    for (String cluster : List.of("primary", "secondary")) {
      try (var copies =
          new dev.kafkadr.testkit.history.CopyReader(
              history,
              "all-" + cluster,
              cluster,
              "primary".equals(cluster) ? primary() : secondary(),
              List.of(topic),
              Duration.ofMillis(200),
              false)) {
        copies.awaitCaughtUp(Duration.ofSeconds(60));
      }
      assertThat(history.failedCopies("all-" + cluster))
          .as("aborted records copied onto " + cluster)
          .isZero();
    }
  }

  private static GroupReader groupReader(
      History history, RegistryWatcher watcher, String topic, String group) {
    Map<String, Object> c = new HashMap<>(SecuredTenants.client(SecuredTenants.CONSUMER));
    c.put("group.id", group);
    c.put("auto.offset.reset", "earliest");
    c.put("isolation.level", "read_committed");
    return new GroupReader(
        history,
        group,
        GroupReader.Source.following(
            new FollowingConsumer<>(
                watcher, c, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
            List.of(topic)),
        cluster -> {});
  }

  private static CheckedProducer inputProducer(History history, RegistryWatcher watcher) {
    Map<String, Object> c = new HashMap<>(SecuredTenants.client(SecuredTenants.PRODUCER));
    c.put("acks", "all");
    c.put("enable.idempotence", true);
    return new CheckedProducer(
        history,
        0,
        Sender.following(
            new FollowingProducer<>(
                watcher,
                c,
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                Duration.ofSeconds(90))),
        List.of("shop.input"),
        8,
        200,
        0);
  }

  private static Map<String, Object> primary() {
    return SandboxTenants.sandbox.primary().adminConfig();
  }

  private static Map<String, Object> secondary() {
    return SandboxTenants.sandbox.secondary().adminConfig();
  }

  private static String partition(String topic) {
    return "flows[0].partitions.find { it.topic == '" + topic + "' }";
  }

  private static Object partition(JsonPath l, String topic) {
    return l.get(partition(topic));
  }

  private static String registryCluster() {
    return Api.viewer()
        .accept("application/json")
        .get("/api/tenants/shop/bootstrap")
        .jsonPath()
        .getString("cluster");
  }
}
