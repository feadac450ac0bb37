package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.config.cli.KdrCli;
import dev.kafkadr.sandbox.Sandbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kdr config plan|apply} against the sandbox's Connect cluster with our plugins: three
 * tenants applied and replicating, a second apply that changes nothing, one tenant's patterns
 * changed (only its connectors change), a tenant removed (its connectors go).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigApplyIT {

  private static Sandbox sandbox;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    sandbox =
        Sandbox.builder()
            .dns(false)
            .pluginPath(Path.of(System.getProperty("kdr.plugin.dir")))
            .start();
    sandbox
        .primary()
        .createTopics(
            new NewTopic("alpha.orders", 1, (short) 1),
            new NewTopic("beta.orders", 1, (short) 1),
            new NewTopic("beta_log", 1, (short) 1),
            new NewTopic("gamma.orders", 1, (short) 1));
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", sandbox.primary().bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (String topic : List.of("alpha.orders", "beta.orders", "beta_log", "gamma.orders")) {
        producer.send(new ProducerRecord<>(topic, "k", topic));
      }
      producer.flush();
    }
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  @Order(1)
  void appliesThreeTenantsAndTheyReplicate() throws Exception {
    Result apply = kdr(file(List.of("alpha", "beta", "gamma"), "[\"beta\\\\..*\"]"), "apply");

    assertThat(apply.code()).as(apply.text()).isZero();
    assertThat(apply.text())
        .contains("9 to create, 0 to update, 0 to delete", "every changed connector is RUNNING");
    awaitTopicsOnSecondary("primary.alpha.orders", "primary.beta.orders", "primary.gamma.orders");
  }

  @Test
  @Order(2)
  void aSecondApplyChangesNothing() throws Exception {
    Result apply = kdr(file(List.of("alpha", "beta", "gamma"), "[\"beta\\\\..*\"]"), "apply");

    assertThat(apply.code()).isZero();
    assertThat(apply.text())
        .contains("0 to create, 0 to update, 0 to delete, 9 unchanged", "nothing to do");
  }

  @Test
  @Order(3)
  void changingOneTenantsPatternsChangesOnlyItsConnectors() throws Exception {
    Path changed = file(List.of("alpha", "beta", "gamma"), "[\"beta\\\\..*\", \"beta_log\"]");

    Result plan = kdr(changed, "plan");
    assertThat(plan.text())
        .contains(
            "~ update beta.primary-to-secondary.source",
            "~ update beta.primary-to-secondary.checkpoint",
            "0 to create, 2 to update, 0 to delete, 7 unchanged")
        .doesNotContain("alpha.primary", "gamma.primary");

    assertThat(kdr(changed, "apply").code()).isZero();
    awaitTopicsOnSecondary("primary.beta_log");
  }

  @Test
  @Order(4)
  void removingATenantDeletesItsConnectors() throws Exception {
    Result apply = kdr(file(List.of("alpha", "beta"), "[\"beta\\\\..*\", \"beta_log\"]"), "apply");

    assertThat(apply.code()).as(apply.text()).isZero();
    assertThat(apply.text())
        .contains(
            "0 to create, 0 to update, 3 to delete", "- delete gamma.primary-to-secondary.source");
    assertThat(sandbox.connect().connectors())
        .noneMatch(n -> n.startsWith("gamma."))
        .anyMatch(n -> n.startsWith("alpha."));
  }

  @Test
  @Order(5)
  void anInvalidFileAppliesNothingAndExitsWithThree() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        Files.readString(file(List.of("alpha"), "[\"beta\\\\..*\"]"))
            .replace("rpo: 30s", "rpo: never"));
    int before = sandbox.connect().connectors().size();

    Result apply = kdr(bad, "apply");

    assertThat(apply.code()).isEqualTo(3);
    assertThat(apply.text())
        .contains("tenants[0].rpo: \"never\" is not a duration", "nothing was rendered or applied");
    assertThat(sandbox.connect().connectors()).hasSize(before);
  }

  @Test
  @Order(6)
  void quotasHoldEachBackloggedTenantToItsShare() throws Exception {
    Path limited =
        file(
            List.of("alpha", "beta"),
            "[\"beta\\\\..*\", \"beta_log\"]",
            Map.of("alpha", "1MiB", "beta", "256KiB"));
    Result plan = kdr(limited, "plan");
    assertThat(plan.text())
        .contains(
            "~ set quota producer_byte_rate on secondary for kdr.alpha.primary-to-secondary: none"
                + " -> 1 MiB/s",
            "~ set quota consumer_byte_rate on primary for"
                + " kdr.beta.primary-to-secondary|primary->secondary|"
                + "beta.primary-to-secondary.source|replication-consumer: none -> 256 KiB/s",
            "quotas: 4 to set, 0 to remove");
    assertThat(kdr(limited, "apply").code()).isZero();
    assertThat(kdr(limited, "apply").text()).contains("nothing to do");

    // A backlog for each tenant, far more than its quota moves in the measured window.
    sandbox
        .primary()
        .createTopics(
            new NewTopic("alpha.bulk", 1, (short) 1), new NewTopic("beta.bulk", 1, (short) 1));
    byte[] kib = new byte[1024];
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                "bootstrap.servers", sandbox.primary().bootstrapServers(), "linger.ms", 20),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < 48 * 1024; i++) {
        producer.send(new ProducerRecord<>("alpha.bulk", kib));
        if (i < 16 * 1024) {
          producer.send(new ProducerRecord<>("beta.bulk", kib));
        }
      }
    }
    awaitTopicsOnSecondary("primary.alpha.bulk", "primary.beta.bulk");
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      // Kafka measures a client's rate over a window of 11 one-second samples, so a client may
      // run ahead at first and is then held back to even out: measure after that, in steady state.
      // One sample of both copies' ends a second, for 40 seconds.
      List<Sample> samples = new ArrayList<>();
      await()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                samples.add(
                    new Sample(
                        System.nanoTime(),
                        endOffset(admin, "primary.alpha.bulk"),
                        endOffset(admin, "primary.beta.bulk")));
                return samples.size() == 40;
              });
      System.out.println("alpha KiB by sample: " + samples.stream().map(Sample::alpha).toList());
      System.out.println("beta KiB by sample: " + samples.stream().map(Sample::beta).toList());
      // Kafka's contract: over any quota window (11 s) a client moves at most its quota. Records
      // carry 1 KiB of payload; the quota also counts headers and batch overhead.
      assertQuotaHeld("alpha", samples, Sample::alpha, 1024 * 1024);
      assertQuotaHeld("beta", samples, Sample::beta, 256 * 1024);
    }

    Result lifted = kdr(file(List.of("alpha", "beta"), "[\"beta\\\\..*\", \"beta_log\"]"), "apply");
    assertThat(lifted.text()).contains("quotas: 0 to set, 4 to remove");
  }

  @Test
  @Order(7)
  void tenantsGetTheirAclsOnTheTargetOnce() throws Exception {
    String yaml =
        Files.readString(file(List.of("alpha", "beta"), "[\"beta\\\\..*\", \"beta_log\"]"))
            .replaceFirst(
                "(?m)^(  - id: alpha\n)",
                "$1    access: [{principal: \"User:alpha-app\", role: consumer}]\n");
    Path withAccess = dir.resolve("access.yaml");
    Files.writeString(withAccess, yaml);

    Result apply = kdr(withAccess, "apply");

    assertThat(apply.code()).as(apply.text()).isZero();
    assertThat(apply.text())
        .contains(
            "created acl on secondary: User:alpha-app ALLOW READ on TOPIC PREFIXED"
                + " \"primary.alpha.\"",
            "acls: 5 to create");
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get())
          .extracting(
              b -> b.entry().principal() + " " + b.entry().operation() + " " + b.pattern().name())
          .contains(
              "User:alpha-app READ primary.alpha.",
              "User:alpha-app READ alpha.",
              "User:alpha-app DESCRIBE primary.alpha.",
              "User:alpha-app READ alpha-");
    }
    assertThat(kdr(withAccess, "apply").text()).contains("nothing to do");
  }

  @Test
  @Order(8)
  void aCanarySecretAppearsInNoOutputNoConnectResponseAndNoLog() throws Exception {
    String canary = "kdr-canary-" + java.util.UUID.randomUUID();
    Path secrets = dir.resolve("secrets.properties");
    Files.writeString(secrets, "truststore.password=" + canary + "\n");
    String reference = "${file:" + secrets + ":truststore.password}";
    String yaml =
        Files.readString(file(List.of("alpha", "beta"), "[\"beta\\\\..*\", \"beta_log\"]"))
            .replace(
                "  - {alias: primary, bootstrap: \"" + sandbox.primary().bootstrapServers() + "\"}",
                "  - {alias: primary, bootstrap: \""
                    + sandbox.primary().bootstrapServers()
                    + "\", security: {truststore.password: \""
                    + reference
                    + "\"}}");
    Path withSecret = dir.resolve("secret.yaml");
    Files.writeString(withSecret, yaml);

    StringBuilder printed = new StringBuilder();
    for (String verb : List.of("validate", "render", "plan", "apply")) {
      Result r = kdr(withSecret, verb);
      assertThat(r.code()).as(verb + ": " + r.text()).isZero();
      printed.append(r.text());
    }
    assertThat(printed).contains("source.cluster.ssl.truststore.password").doesNotContain(canary);
    // Connect resolved the reference when it started the connector, and answers with the reference.
    assertThat(sandbox.connect().connectorConfig("alpha.primary-to-secondary.source"))
        .containsEntry("source.cluster.ssl.truststore.password", reference);
    // A secret written in plain text is refused without being repeated.
    Path plain = dir.resolve("plain.yaml");
    Files.writeString(plain, yaml.replace(reference, canary));
    Result refused = kdr(plain, "plan");
    assertThat(refused.code()).isEqualTo(3);
    assertThat(refused.text()).contains("truststore.password").doesNotContain(canary);
    // Every file the sandbox wrote: process logs, and the brokers' data, which holds the Connect
    // cluster's config topic.
    var scan = dev.kafkadr.testkit.secrets.SecretScan.scan(sandbox.workDir(), canary, f -> false);
    assertThat(scan.read()).anyMatch(f -> f.endsWith(Path.of("connect-1", "connect.log")));
    assertThat(scan.holding()).isEmpty();
  }

  /** Both tenants' copy ends (records of 1 KiB) at one instant. */
  private record Sample(long nanos, long alpha, long beta) {}

  private static void assertQuotaHeld(
      String tenant, List<Sample> samples, ToLongFunction<Sample> records, double quota) {
    // The first 8 samples are Kafka's warm-up: the window starts empty and lets a burst through.
    double busiest = 0;
    for (int i = 8; i < samples.size(); i++) {
      for (int j = i + 1; j < samples.size(); j++) {
        double seconds = (samples.get(j).nanos() - samples.get(i).nanos()) / 1e9;
        if (seconds >= 11) {
          long moved = records.applyAsLong(samples.get(j)) - records.applyAsLong(samples.get(i));
          busiest = Math.max(busiest, moved * 1024 / seconds);
          break;
        }
      }
    }
    Sample first = samples.get(8);
    Sample last = samples.get(samples.size() - 1);
    double average =
        (records.applyAsLong(last) - records.applyAsLong(first))
            * 1024.0
            / ((last.nanos() - first.nanos()) / 1e9);
    System.out.printf(
        "%s: quota %.0f KiB/s, replicated %.0f KiB/s on average, %.0f KiB/s in its busiest 11 s%n",
        tenant, quota / 1024, average / 1024, busiest / 1024);
    assertThat(busiest).as(tenant + " busiest window").isLessThanOrEqualTo(1.5 * quota);
    assertThat(average).as(tenant + " average").isGreaterThanOrEqualTo(0.5 * quota);
  }

  private static long endOffset(Admin admin, String topic) throws Exception {
    TopicPartition tp = new TopicPartition(topic, 0);
    return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
  }

  private static void awaitTopicsOnSecondary(String... topics) {
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> admin.listTopics().names().get().containsAll(List.of(topics)));
    }
  }

  private record Result(int code, String text) {}

  private static Result kdr(Path file, String verb) {
    StringWriter out = new StringWriter();
    List<String> args = new ArrayList<>(List.of("config", verb, "--file", file.toString()));
    if ("plan".equals(verb) || "apply".equals(verb)) {
      args.addAll(List.of("--connect", sandbox.connectRestUrl()));
    }
    if ("apply".equals(verb)) {
      args.addAll(List.of("--timeout", "90"));
    }
    int code =
        KdrCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(out))
            .execute(args.toArray(String[]::new));
    System.out.println("kdr config " + verb + " -> " + code + "\n" + out);
    return new Result(code, out.toString());
  }

  /**
   * A tenants file for the sandbox: the listed tenants, all on one flow; beta's topics as given.
   */
  private static Path file(List<String> tenants, String betaTopics) throws Exception {
    return file(tenants, betaTopics, Map.of());
  }

  /** As above, with a replication quota for the tenants in {@code quotas}. */
  private static Path file(List<String> tenants, String betaTopics, Map<String, String> quotas)
      throws Exception {
    StringBuilder yaml = new StringBuilder();
    yaml.append(sandbox.tenantsFileClusters())
        .append("flows:\n  - {source: primary, target: secondary, tenants: ")
        .append(tenants)
        .append("}\n")
        .append("tenants:\n");
    for (String t : tenants) {
      String topics = "beta".equals(t) ? betaTopics : "[\"" + t + "\\\\..*\"]";
      yaml.append("  - id: ")
          .append(t)
          .append("\n    topics: {include: ")
          .append(topics)
          .append("}\n")
          .append("    groups: {include: [\"")
          .append(t)
          .append("-.*\"]}\n")
          .append(
              "    rpo: 30s\n    rto: 5m\n    overrides: {replication.factor: 1, refresh.topics.interval.seconds: 1}\n");
      if (quotas.containsKey(t)) {
        yaml.append("    quota: {bytesPerSecond: ").append(quotas.get(t)).append("}\n");
      }
    }
    Path file = dir.resolve("tenants-" + System.nanoTime() + ".yaml");
    Files.writeString(file, yaml.toString());
    return file;
  }
}
