package dev.kafkadr.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.tenant.Provenance;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Verify drills on the sandbox (real MM2): a healthy tenant's drill passes with figures equal to an
 * independent count of both clusters; a copy corrupted on purpose fails naming the partition and
 * offsets; the signed report chain holds against the hashes the audit log published.
 */
@QuarkusTest
@QuarkusTestResource(value = DrillTenants.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrillIT {

  private static final String ORDERS = "audit.orders";
  private static final String LEDGER = "audit.ledger";
  private static final String GROUP = "audit-app";

  @Test
  @Order(1)
  void aVerifyDrillOfAHealthyTenantPassesWithFiguresEqualToAnIndependentCount() throws Exception {
    produce(ORDERS, 3_000, 0);
    for (int round = 0; round < 4; round++) {
      produce(LEDGER, 50, round); // 50 keys written 4 times
    }
    commitGroupAt(Map.of(0, 300L, 1, 0L, 2, 1_000_000L)); // at 300, at the start, at the end
    awaitCopied();

    String id = Api.start("audit", "drill-verify");
    JsonPath run = Api.awaitEnd(id);
    assertThat(run.getString("state")).as(run.prettify()).isEqualTo("SUCCEEDED");
    JsonPath report = report(id);
    System.out.println("drill report, completeness: " + report.getMap("checks.completeness"));

    Map<String, Long> truth = committedOnSource();
    long copies = distinctCopies("primary." + ORDERS, 3);
    long records = 0;
    long matched = 0;
    for (int p = 0; p < 3; p++) {
      String name = ORDERS + "-" + p;
      Map<String, Object> part = report.getMap("checks.completeness.partitions.'" + name + "'");
      assertThat(((Number) part.get("sourceRecords")).longValue())
          .as(name)
          .isEqualTo(truth.get(name));
      records += ((Number) part.get("sourceRecords")).longValue();
      matched += ((Number) part.get("matched")).longValue();
    }
    assertThat(records).isEqualTo(3_000);
    assertThat(matched).as("matched = distinct copies counted on secondary").isEqualTo(copies);
    Map<String, Object> ledger = report.getMap("checks.completeness.partitions.'" + LEDGER + "-0'");
    assertThat(ledger.get("compared")).isEqualTo("latest value per key (compacted)");
    assertThat(((Number) ledger.get("sourceRecords")).longValue()).isEqualTo(50);
    assertThat(((Number) ledger.get("matched")).longValue()).isEqualTo(50);
    assertThat(report.getBoolean("checks.offsets.passed")).isTrue();
    assertThat(report.getMap("checks.offsets.groups." + GROUP)).hasSize(3);
    assertThat(report.getBoolean("passed")).isTrue();
    assertThat(report.getBoolean("checks.writability.passed")).isTrue();
    assertThat(report.getString("checks.writability.status"))
        .isEqualTo("exercised for 1 producer(s), the rest compared");
    assertThat(report.getInt("checks.writability.permissionsCompared")).isPositive();
    Map<String, Object> probe =
        report.getMap("checks.writability.probes.'User:" + DrillTenants.AUDIT_PRODUCER + "'");
    assertThat(probe)
        .containsEntry("cluster", "secondary")
        .containsEntry("topic", "audit.kdr-drill")
        .containsEntry("readBack", true);
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            SandboxTenants.sandbox.secondary().adminConfig())) {
      assertThat(admin.listTopics().names().get())
          .as("the drill topic, deleted")
          .doesNotContain("audit.kdr-drill");
    }
    assertThat(Files.readString(DrillTenants.CREDENTIALS))
        .as("the credential file holds the password the report never shows")
        .contains(SandboxTenants.PASSWORD);
    assertThat(report.prettify()).doesNotContain(SandboxTenants.PASSWORD);
    assertThat(report.getBoolean("checks.traffic.passed")).isTrue();
    assertThat(report.getString("checks.traffic.registry")).isEqualTo("primary (epoch 0)");
    assertThat(report.getString("checks.traffic.dns")).startsWith("none");
    assertThat(report.getLong("sequence")).isEqualTo(1);
    assertThat(report.getString("previousSha256")).isNull();
    assertThat(report.getDouble("checks.completeness.shareVerified")).isEqualTo(1.0);
    assertTheWebhookHeardOf(id);
  }

  @Test
  @Order(2)
  void aCopyCorruptedOnPurposeFailsCompletenessNamingThePartitionAndOffsets() throws Exception {
    produce(ORDERS, 300, 1);
    awaitCopied();
    // A record carrying a real record's provenance but another value, produced on the target.
    TopicPartition copy = new TopicPartition("primary." + ORDERS, 1);
    ConsumerRecord<byte[], byte[]> real = lastCopy(copy);
    long realSource =
        Provenance.copiedFrom(
                real.headers().lastHeader(Provenance.DEFAULT_HEADER).value(), Sandbox.PRIMARY)
            .orElseThrow();
    long corruptAt;
    try (var producer = producer(SandboxTenants.sandbox.secondary())) {
      var forged =
          new ProducerRecord<>(
              copy.topic(),
              copy.partition(),
              real.timestamp(),
              new String(real.key()),
              "not what the source holds");
      for (Header h : real.headers()) {
        forged.headers().add(h);
      }
      corruptAt = producer.send(forged).get().offset();
    }

    String id = Api.start("audit", "drill-verify");
    JsonPath run = Api.awaitEnd(id);
    System.out.println("corrupted copy: " + run.getString("error"));
    assertThat(run.getString("state")).isEqualTo("FAILED");
    assertThat(run.getString("error"))
        .contains(
            ORDERS + "-1",
            "the first at source offset " + realSource + " (copy offset " + corruptAt + ")");
    JsonPath report = report(id);
    assertThat(report.getBoolean("passed")).isFalse();
    // The forged duplicate also means a group reading the copy from before it reads that offset
    // twice: the offsets check says so too ("translated inexactly").
    assertThat(report.getList("failedChecks", String.class)).contains("completeness");
    assertThat(report.getLong("sequence")).isEqualTo(2);
    // the second drill verified what was added since the first, plus a sample of older ranges
    assertThat(report.getLong("checks.completeness.partitions.'" + ORDERS + "-1'.from"))
        .isPositive();
  }

  @Test
  @Order(3)
  void theOperatorsCommandRunsADrillAndSaysWhyItFailed() {
    var cli = kdr("drill", "--tenant", "audit", "--poll-ms", "200");
    System.out.println(cli.getValue());
    assertThat(cli.getKey()).as(cli.getValue()).isEqualTo(3);
    assertThat(cli.getValue())
        .contains("ok  cut", "ok  verify-completeness", "ERR verdict", ORDERS + "-1");
    var refused = kdr("drill", "--tenant", "audit", "--kind", "failover");
    assertThat(refused.getKey()).isEqualTo(2);
    assertThat(refused.getValue()).contains("a drill is verify or switchover");
  }

  @Test
  @Order(4)
  void theReportChainHoldsAgainstTheHashesTheAuditLogPublishedAndAnEditIsFound() throws Exception {
    JsonPath chain =
        Api.viewer().get("/api/drills/chain/audit").then().statusCode(200).extract().jsonPath();
    assertThat(chain.getBoolean("holds")).as(chain.prettify()).isTrue();
    assertThat(chain.getInt("reports")).isEqualTo(3);
    var online = kdr("drill", "verify-chain", "--tenant", "audit");
    assertThat(online.getKey()).as(online.getValue()).isZero();
    assertThat(online.getValue())
        .contains(
            "the chain of 3 report(s) holds",
            "heads published in the kdr.drill-chain on secondary: holds (3 heads)");
    assertThat(chain.getMap("publishedHeads", String.class, String.class))
        .containsEntry("audit log", "holds")
        .containsEntry("kdr.drill-chain on primary", "holds (3 heads)")
        .containsEntry("kdr.drill-chain on secondary", "holds (3 heads)");
    for (var cluster :
        List.of(SandboxTenants.sandbox.primary(), SandboxTenants.sandbox.secondary())) {
      assertThat(publishedHeads(cluster.adminConfig()))
          .as("heads of audit read from kdr.drill-chain on " + cluster.name())
          .hasSize(3);
    }
    List<Map<String, Object>> list = drills("audit");
    assertThat(list).extracting(m -> m.get("passed")).containsExactly(true, false, false);
    String metrics = Api.viewer().get("/q/metrics").asString();
    String rules =
        Files.readString(Path.of("..", "configs", "prometheus", "kafka-dr-drill-alerts.yaml"));
    java.util.regex.Matcher named = java.util.regex.Pattern.compile("kdr_[a-z_]+").matcher(rules);
    while (named.find()) {
      assertThat(metrics).as("metric named by the drill rules").contains(named.group() + "{");
    }

    // An auditor's copy: the export, and the whole chain checked offline, then edited.
    Path export = Files.createTempDirectory("kdr-drill-export");
    String first = (String) list.get(0).get("id");
    // The PDF needs Chromium, as the report page's test does (bin/test installs it).
    var exported = kdr("drill", "export", "--id", first, "--out", export.toString(), "--pdf");
    assertThat(exported.getKey()).as(exported.getValue()).isZero();
    assertThat(export.resolve(first + ".json.sig")).exists();
    assertThat(Files.readString(export.resolve(first + ".html"))).contains(first);
    byte[] pdf = Files.readAllBytes(export.resolve(first + ".pdf"));
    assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("%PDF-");
    System.out.println(
        "drill report exported as PDF: "
            + export.resolve(first + ".pdf")
            + ", "
            + pdf.length
            + " bytes");
    Path copy = Files.createTempDirectory("kdr-drill-chain");
    Path reports = reportsOf("audit");
    try (var files = Files.list(reports)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    String key = export.resolve("drill-signing.pub").toString();
    var offline = kdr("drill", "verify-chain", "--dir", copy.toString(), "--public-key", key);
    assertThat(offline.getKey()).as(offline.getValue()).isZero();
    Path second = copy.resolve((String) list.get(1).get("file"));
    Files.writeString(
        second, Files.readString(second).replace("\"passed\" : false", "\"passed\" : true"));
    var edited = kdr("drill", "verify-chain", "--dir", copy.toString(), "--public-key", key);
    assertThat(edited.getKey()).isEqualTo(3);
    assertThat(edited.getValue())
        .contains("broken at " + list.get(1).get("file") + ": its signature does not match");
  }

  /**
   * Someone holding the signing key edits a report on the controller and signs it again: signatures
   * and sequence hold, the heads published outside the store (the audit log, the topic
   * kdr.drill-chain on both clusters) do not. The report is put back afterwards.
   */
  @Test
  @Order(4)
  void aReportReSignedWithTheKeyIsFoundByEveryPlaceItsHeadWasPublished() throws Exception {
    List<Map<String, Object>> list = drills("audit");
    Path reports = reportsOf("audit");
    Path newest = reports.resolve((String) list.get(2).get("file"));
    Path signature = Path.of(newest + ".sig");
    byte[] original = Files.readAllBytes(newest);
    byte[] originalSignature = Files.readAllBytes(signature);
    try {
      byte[] forged =
          new String(original, java.nio.charset.StandardCharsets.UTF_8)
              .replace("\"passed\" : false", "\"passed\" : true")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      var signer = java.security.Signature.getInstance("Ed25519");
      signer.initSign(
          java.security.KeyFactory.getInstance("Ed25519")
              .generatePrivate(
                  new java.security.spec.PKCS8EncodedKeySpec(
                      java.util.Base64.getDecoder()
                          .decode(
                              Files.readString(reports.getParent().resolve("drill-signing.key"))
                                  .strip()))));
      signer.update(forged);
      Files.write(newest, forged);
      Files.writeString(signature, java.util.Base64.getEncoder().encodeToString(signer.sign()));
      JsonPath resigned =
          Api.viewer().get("/api/drills/chain/audit").then().statusCode(200).extract().jsonPath();
      assertThat(resigned.getBoolean("holds")).isFalse();
      assertThat(resigned.getString("firstBroken")).isEqualTo(list.get(2).get("file"));
      assertThat(resigned.getMap("publishedHeads", String.class, String.class))
          .containsEntry("audit log", "broken at " + list.get(2).get("file"))
          .containsEntry("kdr.drill-chain on primary", "broken at " + list.get(2).get("file"))
          .containsEntry("kdr.drill-chain on secondary", "broken at " + list.get(2).get("file"));
    } finally {
      Files.write(newest, original);
      Files.write(signature, originalSignature);
    }
  }

  /** The team's webhook got the drill's outcome, signed with the secret. */
  private static void assertTheWebhookHeardOf(String id) throws Exception {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> DrillTenants.WEBHOOK_POSTS.stream().anyMatch(p -> p[0].contains(id)));
    String[] post =
        DrillTenants.WEBHOOK_POSTS.stream().filter(p -> p[0].contains(id)).findFirst().get();
    JsonPath body = JsonPath.from(post[0]);
    assertThat(body.getString("tenant")).isEqualTo("audit");
    assertThat(body.getString("outcome")).isEqualTo("SUCCEEDED");
    assertThat(body.getString("reportSha256")).hasSize(64);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            DrillTenants.WEBHOOK_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "HmacSHA256"));
    assertThat(post[1])
        .isEqualTo(
            "sha256="
                + java.util.HexFormat.of()
                    .formatHex(
                        mac.doFinal(post[0].getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }

  /** Where the controller keeps {@code tenant}'s drill reports. */
  private static Path reportsOf(String tenant) {
    return Path.of(
            org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("kdr.workflow.journal-dir", String.class))
        .resolve("drills")
        .resolve(tenant);
  }

  /** The report hashes of tenant audit published in kdr.drill-chain, read with a plain consumer. */
  private static List<String> publishedHeads(Map<String, Object> admin) {
    Map<String, Object> config = new HashMap<>(admin);
    config.put("group.id", "drill-it-" + java.util.UUID.randomUUID());
    config.put("auto.offset.reset", "earliest");
    List<String> out = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            config,
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new org.apache.kafka.common.serialization.StringDeserializer())) {
      consumer.subscribe(List.of("kdr.drill-chain"));
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      boolean settled = false;
      while (System.nanoTime() < until && !settled) {
        settled = out.size() >= 3; // then one more poll, for any head beyond the three
        for (var r : consumer.poll(Duration.ofMillis(settled ? 1000 : 500))) {
          if ("audit".equals(r.key())) {
            out.add(JsonPath.from(r.value()).getString("sha256"));
          }
        }
      }
    }
    return out;
  }

  @Test
  @Order(5)
  void aScheduledDrillFiresOnScheduleOncePerOccurrence() {
    List<Map<String, Object>>[] reports = new List[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              reports[0] = drills("sched");
              return reports[0].size() >= 3;
            });
    List<java.time.Instant> occurrences = new ArrayList<>();
    for (Map<String, Object> row : reports[0]) {
      JsonPath report = report((String) row.get("id"));
      if (!report.getBoolean("passed")) {
        // Only before the controller's first scan of the flow: the data at risk is UNKNOWN then.
        assertThat(report.getList("failedChecks")).as(report.prettify()).containsExactly("numbers");
        assertThat(report.getString("checks.numbers.dataAtRisk")).startsWith("UNKNOWN");
      }
      assertThat(report.getString("trigger.schedule")).isEqualTo("sched#0");
      assertThat(report.getBoolean("trigger.late")).isFalse();
      occurrences.add(java.time.Instant.parse(report.getString("trigger.occurrence")));
    }
    System.out.println("scheduled drill occurrences: " + occurrences);
    assertThat(occurrences).doesNotHaveDuplicates().isSorted();
    assertThat(occurrences).allSatisfy(o -> assertThat(o.getEpochSecond() % 5).isZero());
    assertThat(reports[0].get(reports[0].size() - 1).get("passed")).isEqualTo(true);
    // The schedule outside its window: every occurrence skipped, audited, counted.
    List<Map<String, Object>> audit =
        Api.viewer().get("/api/audit").then().statusCode(200).extract().jsonPath().getList("$");
    assertThat(audit)
        .anySatisfy(
            e ->
                assertThat(String.valueOf(e.get("error")))
                    .startsWith("scheduled drill sched#1 at ")
                    .contains("skipped: outside its window " + DrillTenants.QUIET_WINDOW));
    assertThat(Api.viewer().get("/q/metrics").asString())
        .contains("kdr_drill_skipped_total{reason=\"outside-window\",tenant=\"sched\"}");
  }

  @Test
  @Order(6)
  void aDrillAskedForOutsideItsTenantsWindowIsRefusedNamingTheWindow() {
    var cli = kdr("drill", "--tenant", "quiet");
    assertThat(cli.getKey()).as(cli.getValue()).isEqualTo(5);
    assertThat(cli.getValue())
        .contains(
            "drills of quiet run only within its drill windows [" + DrillTenants.QUIET_WINDOW);
  }

  @Test
  @Order(7)
  void theReportPageShowsTheJsonsFiguresAndEveryLinkAnswers() throws Exception {
    List<Map<String, Object>> list = drills("audit");
    String id = (String) list.get(1).get("id"); // the drill of the corrupted copy
    JsonPath report = report(id);
    String url =
        "http://"
            + SandboxTenants.VIEWER
            + ":"
            + SandboxTenants.PASSWORD
            + "@127.0.0.1:"
            + io.restassured.RestAssured.port
            + "/api/drills/"
            + id
            + "/html";
    String dom = HeadlessChromium.dom(url, Duration.ofSeconds(1));
    assertThat(text(dom, "outcome")).isEqualTo("FAILED");
    assertThat(text(dom, "check-completeness")).isEqualTo("failed");
    assertThat(text(dom, "check-writability")).isEqualTo("passed");
    assertThat(text(dom, "check-traffic")).isEqualTo("passed");
    Map<String, Map<String, Object>> partitions = report.getMap("checks.completeness.partitions");
    assertThat(partitions).isNotEmpty();
    partitions.forEach(
        (name, figures) -> {
          for (String f : List.of("from", "cut", "sourceRecords", "matched", "differs")) {
            assertThat(text(dom, f + "-" + name))
                .as(f + " of " + name + " on the page")
                .isEqualTo(String.valueOf(figures.get(f)));
          }
        });
    assertThat(dom).contains("1082, " /* the first differing source offset, then the copy's */);
    java.util.regex.Matcher hrefs =
        java.util.regex.Pattern.compile("href=\"([^\"]+)\"").matcher(dom);
    int links = 0;
    while (hrefs.find()) {
      Api.viewer().get(hrefs.group(1)).then().statusCode(200);
      links++;
    }
    assertThat(links).isEqualTo(4);
    Path png = Path.of("target", "drill-report.png");
    List<String> console = HeadlessChromium.screenshot(url, png);
    System.out.println("drill report page screenshot: " + png.toAbsolutePath());
    assertThat(png).isNotEmptyFile();
    assertThat(console).as("console messages").isEmpty();

    // The status page links each tenant's newest drill.
    String newest = (String) list.get(list.size() - 1).get("id");
    assertThat(HeadlessChromium.statusPage())
        .contains(
            "href=\"/api/drills/" + newest + "/html\">failed</a>", "<div id=\"error\"></div>");
  }

  @Test
  @Order(8)
  void aPermissionMissingOnTheOtherClusterFailsWritabilityNamingThePrincipal() throws Exception {
    var write =
        new org.apache.kafka.common.acl.AclBinding(
            new org.apache.kafka.common.resource.ResourcePattern(
                org.apache.kafka.common.resource.ResourceType.TOPIC,
                "audit.",
                org.apache.kafka.common.resource.PatternType.PREFIXED),
            new org.apache.kafka.common.acl.AccessControlEntry(
                "User:" + DrillTenants.AUDIT_PRODUCER,
                "*",
                org.apache.kafka.common.acl.AclOperation.WRITE,
                org.apache.kafka.common.acl.AclPermissionType.ALLOW));
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            SandboxTenants.sandbox.secondary().adminConfig())) {
      assertThat(admin.deleteAcls(List.of(write.toFilter())).all().get()).hasSize(1);
      try {
        JsonPath run = Api.awaitEnd(Api.start("audit", "drill-verify"));
        assertThat(run.getString("state")).isEqualTo("FAILED");
        assertThat(run.getString("error"))
            .contains(
                "writability: User:audit-app may WRITE topic audit.ledger on primary",
                "User:audit-app may WRITE topic audit.orders on primary but not topic audit.orders"
                    + " on secondary",
                // an idempotent producer with WRITE on no topic is refused its producer id:
                // ClusterAuthorizationException, not TopicAuthorizationException
                "User:audit-app could not write a probe to audit.kdr-drill on secondary: it may not"
                    + " WRITE topic audit.kdr-drill (");
        assertThat(report(run.getString("id")).getList("failedChecks", String.class))
            .contains("writability");
      } finally {
        admin.createAcls(List.of(write)).all().get();
      }
    }
  }

  /**
   * A source keeping records forever, its copy a day (the target's own setting): a backfilled
   * record two days old is copied and deleted from the copy at once. The drill counts it as deleted
   * by the copy's retention, not as not yet copied, and the records after it as matched.
   */
  @Test
  @Order(9)
  void aRecordTheCopysOwnRetentionDeletedIsCountedApartNotAsNotCopied() throws Exception {
    String topic = "audit.aged";
    TopicPartition copy = new TopicPartition("primary." + topic, 0);
    try (var primary =
            org.apache.kafka.clients.admin.Admin.create(
                SandboxTenants.sandbox.primary().adminConfig());
        var secondary =
            org.apache.kafka.clients.admin.Admin.create(
                SandboxTenants.sandbox.secondary().adminConfig())) {
      primary
          .createTopics(
              List.of(
                  new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)
                      .configs(Map.of("retention.ms", "-1"))))
          .all()
          .get();
      var resource =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, copy.topic());
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () -> secondary.describeConfigs(List.of(resource)).all().get().containsKey(resource));
      dev.kafkadr.testkit.kafka.TopicConfigs.set(
          secondary, resource.name(), "retention.ms", Long.toString(Duration.ofDays(1).toMillis()));
      try (var producer = producer(SandboxTenants.sandbox.primary())) {
        long twoDaysAgo = System.currentTimeMillis() - Duration.ofDays(2).toMillis();
        producer.send(new ProducerRecord<>(topic, 0, twoDaysAgo, "k", "aged")).get();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> logStart(secondary, copy) == 1); // copied, then deleted by retention
        for (int i = 0; i < 3; i++) {
          producer.send(new ProducerRecord<>(topic, "k" + i, "fresh-" + i)).get();
        }
      }
    }
    awaitCopied();
    JsonPath run = Api.awaitEnd(Api.start("audit", "drill-verify"));
    Map<String, Object> aged =
        report(run.getString("id")).getMap("checks.completeness.partitions.'" + topic + "-0'");
    System.out.println("a record the copy's retention deleted: " + aged);
    assertThat(aged)
        .containsEntry("sourceRecords", 4)
        .containsEntry("matched", 3)
        .containsEntry("expiredOnCopy", 1)
        .containsEntry("notYetCopied", 0);
    assertThat(run.getString("steps.find { it.name == 'verify-completeness' }.detail"))
        .contains("1 deleted from the copy by its own retention (not verifiable)");
  }

  private static long logStart(org.apache.kafka.clients.admin.Admin admin, TopicPartition tp)
      throws Exception {
    return admin
        .listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.earliest()))
        .partitionResult(tp)
        .get()
        .offset();
  }

  /** The text of the element with {@code id} in {@code dom}. */
  private static String text(String dom, String id) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "id=\"" + java.util.regex.Pattern.quote(id) + "\"[^>]*>([^<]*)<")
            .matcher(dom);
    assertThat(m.find()).as("an element with id " + id).isTrue();
    return m.group(1);
  }

  // --- helpers ------------------------------------------------------------------------------

  private static Map.Entry<Integer, String> kdr(String... args) {
    return Kdr.asUser(SandboxTenants.OPERATOR, args);
  }

  /** The tenant's drill reports as the API lists them, oldest first. */
  private static List<Map<String, Object>> drills(String tenant) {
    return Api.viewer()
        .get("/api/drills?tenant=" + tenant)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$");
  }

  private static JsonPath report(String id) {
    return Api.viewer().get("/api/drills/" + id).then().statusCode(200).extract().jsonPath();
  }

  /** A consumer's settings of the sandbox's administrator on {@code cluster}. */
  private static Map<String, Object> reader(
      dev.kafkadr.sandbox.kafka.KafkaClusterProcesses cluster, String isolation) {
    Map<String, Object> config = new HashMap<>(cluster.adminConfig());
    config.put("isolation.level", isolation);
    return config;
  }

  /** A producer of the sandbox's administrator on {@code cluster}, acks=all. */
  private static KafkaProducer<String, String> producer(
      dev.kafkadr.sandbox.kafka.KafkaClusterProcesses cluster) {
    Map<String, Object> config = new HashMap<>(cluster.adminConfig());
    config.put("acks", "all");
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private static void produce(String topic, int records, int round) throws Exception {
    try (var producer = producer(SandboxTenants.sandbox.primary())) {
      for (int i = 0; i < records; i++) {
        var r = new ProducerRecord<>(topic, "k" + i, "v" + round + "-" + i);
        r.headers().add("trace", ("t" + i).getBytes());
        producer.send(r);
      }
      producer.flush();
    }
  }

  private static void commitGroupAt(Map<Integer, Long> positions) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            SandboxTenants.sandbox.primary().adminConfig())) {
      var ends =
          admin
              .listOffsets(
                  Map.of(
                      new TopicPartition(ORDERS, 2),
                      org.apache.kafka.clients.admin.OffsetSpec.latest()))
              .all()
              .get();
      positions.forEach(
          (p, o) -> {
            TopicPartition tp = new TopicPartition(ORDERS, p);
            long at = o > 100_000 ? ends.get(tp).offset() : o;
            offsets.put(tp, new OffsetAndMetadata(at));
          });
      admin.alterConsumerGroupOffsets(GROUP, offsets).all().get();
    }
  }

  /** Waits until the controller sees the tenant fully copied. */
  private static void awaitCopied() {
    java.time.Instant since = java.time.Instant.now();
    Api.awaitLag(
        "audit",
        lag ->
            java.time.Instant.parse(lag.getString("flows[0].measuredAt")).isAfter(since)
                && lag.getLong("flows[0].lagRecords") == 0);
  }

  private static Map<String, Long> committedOnSource() throws Exception {
    Map<String, Long> out = new HashMap<>();
    try (var consumer =
        new KafkaConsumer<>(
            reader(SandboxTenants.sandbox.primary(), "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      for (int p = 0; p < 3; p++) {
        out.put(ORDERS + "-" + p, (long) readAll(consumer, new TopicPartition(ORDERS, p)).size());
      }
    }
    return out;
  }

  private static long distinctCopies(String topic, int partitions) throws Exception {
    long n = 0;
    try (var consumer = copyReader()) {
      for (int p = 0; p < partitions; p++) {
        Set<Long> seen = new HashSet<>();
        for (var r : readAll(consumer, new TopicPartition(topic, p))) {
          Header h = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
          Provenance.copiedFrom(h == null ? null : h.value(), Sandbox.PRIMARY).ifPresent(seen::add);
        }
        n += seen.size();
      }
    }
    return n;
  }

  private static ConsumerRecord<byte[], byte[]> lastCopy(TopicPartition tp) {
    try (var consumer = copyReader()) {
      List<ConsumerRecord<byte[], byte[]>> all = readAll(consumer, tp);
      return all.get(all.size() - 1);
    }
  }

  private static KafkaConsumer<byte[], byte[]> copyReader() {
    return new KafkaConsumer<>(
        reader(SandboxTenants.sandbox.secondary(), "read_uncommitted"),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(
      KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp) {
    consumer.assign(List.of(tp));
    consumer.seekToBeginning(List.of(tp));
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(200)).forEach(out::add);
              return consumer.position(tp) >= end;
            });
    return out;
  }
}
