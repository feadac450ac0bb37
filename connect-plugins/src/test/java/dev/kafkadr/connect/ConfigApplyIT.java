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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
            new NewTopic("betalog", 1, (short) 1),
            new NewTopic("gamma.orders", 1, (short) 1));
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", sandbox.primary().bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (String topic : List.of("alpha.orders", "beta.orders", "betalog", "gamma.orders")) {
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
    Path changed = file(List.of("alpha", "beta", "gamma"), "[\"beta\\\\..*\", \"betalog\"]");

    Result plan = kdr(changed, "plan");
    assertThat(plan.text())
        .contains(
            "~ update beta.primary-to-secondary.source",
            "~ update beta.primary-to-secondary.checkpoint",
            "0 to create, 2 to update, 0 to delete, 7 unchanged")
        .doesNotContain("alpha.primary", "gamma.primary");

    assertThat(kdr(changed, "apply").code()).isZero();
    awaitTopicsOnSecondary("primary.betalog");
  }

  @Test
  @Order(4)
  void removingATenantDeletesItsConnectors() throws Exception {
    Result apply = kdr(file(List.of("alpha", "beta"), "[\"beta\\\\..*\", \"betalog\"]"), "apply");

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
        .contains("tenants[0].rpo: \"never\" is not a duration", "nothing was applied");
    assertThat(sandbox.connect().connectors()).hasSize(before);
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
    List<String> args =
        new ArrayList<>(
            List.of(
                "config", verb, "--file", file.toString(), "--connect", sandbox.connectRestUrl()));
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
    StringBuilder yaml = new StringBuilder();
    yaml.append("clusters:\n")
        .append("  - {alias: primary, bootstrap: \"")
        .append(sandbox.primary().bootstrapServers())
        .append("\"}\n")
        .append("  - {alias: secondary, bootstrap: \"")
        .append(sandbox.secondary().bootstrapServers())
        .append("\"}\n")
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
    }
    Path file = dir.resolve("tenants-" + System.nanoTime() + ".yaml");
    Files.writeString(file, yaml.toString());
    return file;
  }
}
