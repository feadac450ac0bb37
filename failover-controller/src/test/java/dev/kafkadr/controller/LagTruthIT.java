package dev.kafkadr.controller;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.kafkadr.config.cli.KdrCli;
import dev.kafkadr.testkit.prometheus.ScrapeRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The controller's lag is the truth: on the sandbox, with real producers and kafka-dr's connectors,
 * paused and resumed through Connect's REST API.
 */
@QuarkusTest
@QuarkusTestResource(value = SandboxTenants.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LagTruthIT {

  @jakarta.inject.Inject LagMonitor monitor;

  @jakarta.inject.Inject io.micrometer.core.instrument.MeterRegistry meters;

  private static final String SOURCE_CONNECTOR = "acme.primary-to-secondary.source";

  @org.junit.jupiter.api.BeforeEach
  void signIn() {
    io.restassured.RestAssured.authentication =
        io.restassured.RestAssured.preemptive()
            .basic(SandboxTenants.VIEWER, SandboxTenants.PASSWORD);
  }

  @Test
  @Order(1)
  void aTenantWhoseRecordsAreAllCopiedHasNoLag() {
    produce("acme.orders", 0, 10, Instant.now());
    produce("acme.orders", 1, 10, Instant.now());
    produce("acme.payments", 0, 10, Instant.now());

    JsonPath lag =
        awaitLag(
            "acme",
            l ->
                l.getLong("flows[0].lagRecords") == 0
                    && l.getList("flows[0].partitions.replicatedUpTo", Long.class)
                        .equals(List.of(10L, 10L, 10L)));

    assertThat(lag.getList("flows[0].partitions.measuredBy", String.class))
        .containsOnly("provenance");
    assertThat(lag.getString("status")).isEqualTo("OK");
    assertThat(lag.getDouble("flows[0].lagSeconds")).isZero();
    JsonPath healthy =
        awaitLag("acme", l -> l.getDouble("flows[0].health.heartbeatAgeSeconds") >= 0);
    assertThat(healthy.getString("flows[0].health.replication")).isEqualTo("RUNNING");
    assertThat(healthy.getList("flows[0].health.connectors.name", String.class))
        .containsExactly(
            "acme.primary-to-secondary.source",
            "acme.primary-to-secondary.checkpoint",
            "acme.primary-to-secondary.heartbeat");
    assertThat(healthy.getDouble("flows[0].health.heartbeatAgeSeconds")).isLessThan(5);
  }

  @Test
  @Order(2)
  void pausedReplicationShowsExactlyTheRecordsProducedAndTheirAge() {
    pause();
    Instant produced = Instant.now().minusSeconds(7);
    produce("acme.orders", 1, 37, produced);

    JsonPath lag = awaitLag("acme", l -> l.getLong("flows[0].lagRecords") == 37);

    Instant scannedAt = Instant.parse(lag.getString("scannedAt"));
    double truth = Duration.between(produced, scannedAt).toMillis() / 1000.0;
    assertThat(lag.getDouble("flows[0].lagSeconds"))
        .isCloseTo(truth, org.assertj.core.data.Offset.offset(1.0));
    assertThat(
            lag.getLong(
                "flows[0].partitions.find { it.topic == 'acme.orders' && it.partition == 1 }.lagRecords"))
        .isEqualTo(37);
    assertThat(
            lag.getLong(
                "flows[0].partitions.find { it.topic == 'acme.orders' && it.partition == 1 }.oldestUnreplicatedTimestamp"))
        .isEqualTo(produced.toEpochMilli());

    SandboxTenants.sandbox.connect().resume(SOURCE_CONNECTOR);
    awaitLag("acme", l -> l.getLong("flows[0].lagRecords") == 0);
  }

  @Test
  @Order(3)
  void recordsDiscardedBeforeTheyWereCopiedAreReportedAsAGapWithTheirExactRange() throws Exception {
    pause();
    produce("acme.payments", 0, 30, Instant.now());
    try (Admin admin = Admin.create(SandboxTenants.sandbox.primary().adminConfig())) {
      admin
          .deleteRecords(
              Map.of(new TopicPartition("acme.payments", 0), RecordsToDelete.beforeOffset(30)))
          .all()
          .get();
    }

    JsonPath gap = awaitLag("acme", l -> !l.getList("flows[0].gaps").isEmpty());
    assertThat(gap.getString("flows[0].gaps[0].topic")).isEqualTo("acme.payments");
    assertThat(gap.getLong("flows[0].gaps[0].fromOffset")).isEqualTo(10);
    assertThat(gap.getLong("flows[0].gaps[0].toOffset")).isEqualTo(30);
    assertThat(gap.getBoolean("flows[0].gaps[0].confirmed"))
        .as("paused: the copy has not gone past it yet")
        .isFalse();
    assertThat(gap.getString("status")).isEqualTo("BREACH");

    SandboxTenants.sandbox.connect().resume(SOURCE_CONNECTOR);
    JsonPath after =
        awaitLag(
            "acme",
            l ->
                l.getLong("flows[0].lagRecords") == 0
                    && l.getList("flows[0].gaps.confirmed", Boolean.class).contains(true));
    assertThat(after.getList("flows[0].gaps.fromOffset", Long.class)).containsExactly(10L);
    assertThat(after.getLong("flows[0].gaps[0].toOffset"))
        .as("MM2 resumed at 30: the walk of the copy confirms [10, 30)")
        .isEqualTo(30);
    assertThat(after.getBoolean("flows[0].gaps[0].confirmed")).isTrue();
    assertThat(after.getString("status")).isEqualTo("BREACH");

    // The tenant's team reads the same as events: the pause, the breach, the gap, once each.
    List<String> events = Api.events("acme", e -> "primary->secondary".equals(e.get("flow")));
    assertThat(events)
        .anyMatch(e -> e.startsWith("replication RUNNING -> PAUSED; acme.primary-to-secondary"))
        .anyMatch(
            e ->
                e.matches(
                    "RPO status OK -> BREACH: [0-9.]+ s of data at risk against an RPO of 30.0 s;"
                        + " 20 offsets lost to gaps"))
        .containsOnlyOnce(
            "acme.payments-0 [10, 30): 20 offsets lost to the copy before they were copied"
                + " (at most: not yet confirmed)");
  }

  @Test
  @Order(4)
  void tenantsNeverSeeEachOthersPartitions() {
    produce("other.events", 0, 5, Instant.now());
    JsonPath other =
        awaitLag(
            "other",
            l ->
                l.getLong("flows[0].lagRecords") == 0
                    && l.getList("flows[0].partitions.replicatedUpTo", Long.class)
                        .equals(List.of(5L)));
    JsonPath acme = lag("acme");

    assertThat(other.getList("flows[0].partitions.topic", String.class))
        .containsOnly("other.events");
    assertThat(acme.getList("flows[0].partitions.topic", String.class))
        .containsOnly("acme.orders", "acme.payments");
    given().get("/api/tenants/nobody/lag").then().statusCode(404);
    assertThat(given().get("/api/tenants").jsonPath().getList("tenant", String.class))
        .containsExactly("acme", "other");
  }

  @Test
  @Order(5)
  void aConsumerGroupShowsItsCheckpointAndWhatItWouldReadTwiceAfterAFailover() throws Exception {
    TopicPartition orders0 = new TopicPartition("acme.orders", 0);
    try (Admin admin = Admin.create(SandboxTenants.sandbox.primary().adminConfig())) {
      admin
          .alterConsumerGroupOffsets("acme-app", Map.of(orders0, new OffsetAndMetadata(8)))
          .all()
          .get();
    }

    JsonPath lag =
        awaitLag(
            "acme",
            l ->
                l.getList("flows[0].groups").size() == 1
                    && l.getLong("flows[0].groups[0].checkpointUpstream") == 8);

    assertThat(lag.getString("flows[0].groups[0].group")).isEqualTo("acme-app");
    assertThat(lag.getLong("flows[0].groups[0].committedOffset")).isEqualTo(8);
    long translated = lag.getLong("flows[0].groups[0].translatedOffset");
    assertThat(translated).isBetween(0L, 8L);
    // The copy of acme.orders-0 holds source offsets 0..9 at the same offsets, so a consumer
    // resuming at the translated offset reads again everything up to offset 8.
    assertThat(lag.getLong("flows[0].groups[0].reReadIfFailedOver")).isEqualTo(8 - translated);
    assertThat(lag.getDouble("flows[0].groups[0].checkpointAgeSeconds")).isBetween(0.0, 10.0);
  }

  @Test
  @Order(6)
  void metricsHealthAndOpenApiAreServed() throws IOException {
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            containsString(
                "kdr_tenant_lag_records{source=\"primary\",target=\"secondary\",tenant=\"other\"} 0.0"),
            containsString(
                "kdr_tenant_rpo_status{source=\"primary\",target=\"secondary\",tenant=\"acme\"} 2.0"),
            containsString(
                "# HELP kdr_tenant_lag_seconds Age of the oldest record not yet copied"));
    given().get("/q/health/ready").then().statusCode(200).body(containsString("lag-scan"));
    String metrics = given().get("/q/metrics").asString();
    java.util.regex.Matcher used =
        java.util.regex.Pattern.compile("kdr_[a-z_]+")
            .matcher(
                Files.readString(Path.of("..", "configs", "prometheus", "kafka-dr-alerts.yaml")));
    int names = 0;
    while (used.find()) {
      names++;
      String name = used.group();
      // On failure, name what the registry holds and what the scrape showed, not the whole scrape.
      assertThat(metrics.contains(name))
          .as(
              () ->
                  "alert rules use "
                      + name
                      + "; registered: "
                      + meters.getMeters().stream()
                          .map(m -> m.getId().getName())
                          .filter(n -> n.startsWith("kdr."))
                          .distinct()
                          .sorted()
                          .toList()
                      + "; scraped: "
                      + metrics
                          .lines()
                          .filter(l -> l.startsWith("kdr_"))
                          .map(l -> l.replaceAll("[{ ].*", ""))
                          .distinct()
                          .sorted()
                          .toList())
          .isTrue();
    }
    assertThat(names).isGreaterThan(6);
    given()
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(containsString("/api/tenants/{tenant}/lag"));
  }

  @Test
  @Order(8)
  void theStatusPageShowsEveryTenantLiveInAHeadlessBrowser() throws Exception {
    String dom = HeadlessChromium.statusPage();

    assertThat(dom)
        .contains(
            "data-tenant=\"acme\" data-flow=\"primary-&gt;secondary\" data-status=\"BREACH\"",
            "data-tenant=\"other\" data-flow=\"primary-&gt;secondary\" data-status=\"OK\"",
            "acme.payments-0 [10, 30)",
            "RUNNING",
            "<polyline",
            "<div id=\"error\"></div>");
  }

  @Test
  @Order(9)
  void theBootstrapRegistryHandsClientsTheirClusterThroughTheConfigProvider() throws Exception {
    JsonPath entry =
        given().accept("application/json").get("/api/tenants/acme/bootstrap").jsonPath();
    assertThat(entry.getString("cluster")).isEqualTo("primary");
    assertThat(entry.getString("bootstrapServers"))
        .isEqualTo(SandboxTenants.sandbox.primary().bootstrapServers());
    assertThat(entry.getString("clusterId")).isNotBlank();
    assertThat(entry.getLong("epoch")).isZero();

    Path cache = Files.createTempDirectory("kdr-provider-cache");
    Map<String, Object> viaRegistry =
        Map.of(
            "config.providers.kdr.param.user",
            SandboxTenants.CLIENT,
            "config.providers.kdr.param.password",
            SandboxTenants.PASSWORD,
            "config.providers",
            "kdr",
            "config.providers.kdr.class",
            "dev.kafkadr.connect.KdrConfigProvider",
            "config.providers.kdr.param.url",
            "http://127.0.0.1:" + io.restassured.RestAssured.port,
            "config.providers.kdr.param.cache.dir",
            cache.toString(),
            "config.providers.kdr.param.insecure",
            "true",
            "bootstrap.servers",
            "${kdr:acme:bootstrap.servers}",
            "max.block.ms",
            10_000);
    try (var producer =
        new KafkaProducer<>(viaRegistry, new StringSerializer(), new StringSerializer())) {
      // acme.orders exists on the primary only (the secondary holds primary.acme.orders).
      assertThat(producer.send(new ProducerRecord<>("acme.orders", 0, "k", "v")).get().topic())
          .isEqualTo("acme.orders");
    }

    var moved = monitor.bootstrap().switchTo("acme", "secondary");
    assertThat(moved.epoch()).isEqualTo(1);
    assertThat(given().accept("text/plain").get("/api/tenants/acme/bootstrap").asString())
        .contains(
            "bootstrap.servers=" + SandboxTenants.sandbox.secondary().bootstrapServers(),
            "epoch=1");
    try (Admin admin = Admin.create(viaRegistry)) {
      assertThat(admin.describeCluster().clusterId().get()).isEqualTo(moved.clusterId());
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> monitor.bootstrap().switchTo("acme", "nowhere"))
        .hasMessageContaining("tenant \"acme\" is not replicated to \"nowhere\"");

    // A tenant on its flow's target is measured on the way back (here no workflow started one:
    // its connectors are missing); then home again for the tests after this one.
    awaitLag(
        "acme",
        l ->
            "secondary".equals(l.getString("flows[0].source"))
                && !"RUNNING".equals(l.getString("flows[0].health.replication")));
    monitor.bootstrap().switchTo("acme", "primary");
    awaitLag("acme", l -> "primary".equals(l.getString("flows[0].source")));
  }

  @Test
  @Order(10)
  void aRecreatedSourceTopicIsReportedWithTheRecordsThatWentWithIt() throws Exception {
    pause();
    produce("acme.payments", 0, 3, Instant.now());
    String payments = "flows[0].partitions.find { it.topic == 'acme.payments' }";
    awaitLag("acme", l -> l.getLong(payments + ".sourceLogEnd") == 43);
    try (Admin admin = Admin.create(SandboxTenants.sandbox.primary().adminConfig())) {
      admin.deleteTopics(List.of("acme.payments")).all().get();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !admin.listTopics().names().get().contains("acme.payments"));
    }
    SandboxTenants.sandbox.primary().createTopics(new NewTopic("acme.payments", 1, (short) 1));
    produce("acme.payments", 0, 2, Instant.now());

    // a scan between the topic's creation and the two records finds it empty (lag 0, truly)
    JsonPath lag =
        awaitLag(
            "acme",
            l ->
                l.getList("flows[0].gaps.fromOffset", Long.class).contains(40L)
                    && l.getLong(payments + ".sourceLogEnd") == 2);
    assertThat(lag.getLong("flows[0].gaps.find { it.fromOffset == 40 }.toOffset")).isEqualTo(43);
    assertThat(lag.getString(payments + ".measuredBy")).isEqualTo("source-recreated");
    assertThat(lag.getLong(payments + ".lagRecords")).isEqualTo(2);

    SandboxTenants.sandbox.connect().resume(SOURCE_CONNECTOR);
    JsonPath copied =
        awaitLag(
            "acme",
            l ->
                "provenance".equals(l.getString(payments + ".measuredBy"))
                    && l.getLong(payments + ".lagRecords") == 0);
    assertThat(copied.getList("flows[0].gaps.fromOffset", Long.class)).containsExactly(10L, 40L);
  }

  /**
   * The target's broker stopped (SIGSTOP) so that a scan hangs on its reads: the figures the API
   * serves age past three scan intervals and turn UNKNOWN, saying the scans are late; the shipped
   * alert rule, run by promtool over the series scraped from this run, fires during the stall and
   * not before or after it.
   */
  @Test
  @Order(11)
  void aStalledScanTurnsTheFiguresUnknownAndTheScansLateAlertFires() throws Exception {
    awaitLag("acme", l -> "BREACH".equals(l.getString("flows[0].status")));
    long from = System.currentTimeMillis();
    try (var scrape =
        new ScrapeRecorder(
            java.net.URI.create(
                "http://127.0.0.1:" + io.restassured.RestAssured.port + "/q/metrics"),
            SandboxTenants.VIEWER,
            SandboxTenants.PASSWORD,
            List.of("kdr_scan_last_timestamp_seconds", "kdr_scan_interval_seconds"),
            Duration.ofMillis(250))) {
      await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
      long stalled = System.currentTimeMillis();
      SandboxTenants.sandbox.pause("secondary-broker-1");
      long late;
      try {
        JsonPath stale =
            awaitLag(
                "acme",
                l ->
                    "UNKNOWN".equals(l.getString("flows[0].status"))
                        && String.valueOf(l.getString("flows[0].problem"))
                            .contains("scans are late"));
        late = System.currentTimeMillis();
        assertThat(stale.getDouble("flows[0].measurementAgeSeconds")).isGreaterThan(3.0);
        // the gauges say so too: not the last figures, which no longer hold
        String labels = "{source=\"primary\",target=\"secondary\",tenant=\"acme\"}";
        assertThat(given().get("/q/metrics").asString())
            .contains(
                "kdr_tenant_rpo_status" + labels + " 3.0",
                "kdr_tenant_lag_seconds" + labels + " NaN",
                "kdr_tenant_lag_records" + labels + " NaN");
        await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
      } finally {
        SandboxTenants.sandbox.resume("secondary-broker-1");
      }
      long resumed = System.currentTimeMillis();
      // A scan started after the resume (the metric the alert reads is a completed scan's start:
      // the stalled scan completes after the resume but started before the stall).
      awaitLag(
          "acme",
          l ->
              l.getString("flows[0].problem") == null
                  && l.getDouble("flows[0].measurementAgeSeconds") < 3
                  && java.time.Instant.parse(l.getString("scannedAt")).toEpochMilli() > resumed);
      await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
      ScansLateReplay.check(scrape, from, stalled, late);
    }
  }

  @Test
  @Order(12)
  void aKilledConnectWorkerIsReportedWithinAScanAndTheHeartbeatAges() {
    long killedAt = System.nanoTime();
    SandboxTenants.sandbox.kill("connect-1");

    JsonPath down =
        awaitLag("acme", l -> "UNREACHABLE".equals(l.getString("flows[0].health.replication")));
    double seconds = (System.nanoTime() - killedAt) / 1e9;
    System.out.printf("Connect worker killed: reported UNREACHABLE after %.1f s%n", seconds);
    assertThat(seconds).isLessThan(5);
    assertThat(down.getList("flows[0].health.connectors.state", String.class))
        .containsOnly("UNREACHABLE");
    awaitLag("acme", l -> l.getDouble("flows[0].health.heartbeatAgeSeconds") > 5);
    assertThat(Api.events("acme", e -> "replication".equals(e.get("kind"))))
        .anyMatch(e -> e.startsWith("replication RUNNING -> UNREACHABLE"));
  }

  @Test
  @Order(7)
  void kdrStatusPrintsEveryTenantAsATableAndAsJson() {
    String url = "http://127.0.0.1:" + io.restassured.RestAssured.port;
    System.setProperty("kafka-dr.password", SandboxTenants.PASSWORD);
    try {
      statusTableAndJson(url);
    } finally {
      System.clearProperty("kafka-dr.password");
    }
  }

  private void statusTableAndJson(String url) {
    StringWriter table = new StringWriter();
    int code =
        KdrCli.commandLine()
            .setOut(new PrintWriter(table))
            .execute("status", "--controller", url, "--insecure", "--user", SandboxTenants.VIEWER);

    assertThat(code).isZero();
    List<String> lines = table.toString().lines().toList();
    assertThat(lines.get(0))
        .startsWith("TENANT")
        .contains("STATUS", "LAG", "AT RISK", "RPO", "REPLICATION", "HEARTBEAT", "GAPS");
    assertThat(lines)
        .anyMatch(
            l -> l.matches("acme +primary -> secondary +BREACH +0 +0\\.0s +30\\.0s +RUNNING .* 1"))
        .anyMatch(l -> l.startsWith("other ") && l.contains(" OK ") && l.contains("60.0s"))
        .anyMatch(
            l ->
                l.startsWith("controller: replica ")
                    && l.contains(" leads since ")
                    && l.contains("store local")
                    && l.contains("figures measured by "));

    StringWriter json = new StringWriter();
    KdrCli.commandLine()
        .setOut(new PrintWriter(json))
        .execute(
            "status", "--controller", url, "--insecure", "--json", "--user", SandboxTenants.VIEWER);
    assertThat(json.toString()).contains("\"tenant\" : \"acme\"", "\"lagRecords\"");

    StringWriter err = new StringWriter();
    int down =
        KdrCli.commandLine()
            .setErr(new PrintWriter(err))
            .execute("status", "--controller", "http://127.0.0.1:1", "--insecure");
    assertThat(down).isEqualTo(1);
    assertThat(err.toString()).contains("cannot be reached");
  }

  private static void pause() {
    // not "every listed task PAUSED": right after a resume the status may list none, or still say
    // PAUSED from the pause before, and the task, running, then copied what a test kept from it
    SandboxTenants.sandbox.connect().pauseRunning(SOURCE_CONNECTOR, Duration.ofSeconds(30));
  }

  private static JsonPath lag(String tenant) {
    return given()
        .get("/api/tenants/" + tenant + "/lag")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static JsonPath awaitLag(
      String tenant, java.util.function.Predicate<JsonPath> condition) {
    JsonPath[] last = new JsonPath[1];
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          // A figure the controller cannot measure yet is absent (UNKNOWN): not the answer yet.
          .ignoreException(NullPointerException.class)
          .until(
              () -> {
                last[0] = lag(tenant);
                return last[0].getList("flows").size() == 1 && condition.test(last[0]);
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "tenant " + tenant + " never met the condition; last answer:\n" + last[0].prettify(), e);
    }
    return last[0];
  }

  private static void produce(String topic, int partition, int count, Instant timestamp) {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                "bootstrap.servers", SandboxTenants.sandbox.primary().bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = 0; i < count; i++) {
        producer.send(
            new ProducerRecord<>(topic, partition, timestamp.toEpochMilli(), "k" + i, "v" + i));
      }
    }
  }
}
