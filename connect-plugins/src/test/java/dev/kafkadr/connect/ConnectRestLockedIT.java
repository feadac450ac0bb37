package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.config.cli.KdrCli;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectRestCredentials;
import dev.kafkadr.config.connect.ConnectRestException;
import dev.kafkadr.sandbox.Sandbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
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
 * Connect's REST API locked: two workers with Connect's {@code BasicAuthSecurityRestExtension} and
 * kafka-dr's client override policy. Anonymous and wrong callers are refused on both workers;
 * {@code kdr config apply} logs in, through either worker, so that requests one worker forwards to
 * the other carry the caller's credentials; a connector with an override kafka-dr does not render
 * is refused by the worker, even with the right credentials. (Connect asks the override policy only
 * about the clients it builds for a connector: the producer of a source connector, the consumer of
 * a sink connector, the admin client where topic creation or a dead letter queue is used; the
 * policy's own test covers the consumer and admin refusals.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectRestLockedIT {

  private static Sandbox sandbox;
  private static ConnectRestCredentials user;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    sandbox =
        Sandbox.builder()
            .name("rest-locked")
            .dns(false)
            .connectWorkers(2)
            .lockConnectRest()
            .pluginPath(Path.of(System.getProperty("kdr.plugin.dir")))
            .start();
    user = sandbox.connectRestCredentials().orElseThrow();
    sandbox
        .primary()
        .createTopics(
            new NewTopic("alpha.orders", 1, (short) 1), new NewTopic("beta.orders", 1, (short) 1));
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", sandbox.primary().bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>("alpha.orders", "k", "alpha"));
      producer.send(new ProducerRecord<>("beta.orders", "k", "beta"));
      producer.flush();
    }
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private static ConnectRestClient as(int worker, Optional<ConnectRestCredentials> who) {
    return new ConnectRestClient(sandbox.connectRestUrl(worker), who, () -> {});
  }

  @Test
  @Order(1)
  void anonymousAndWrongCallersAreRefusedOnEveryWorker() {
    for (int n = 1; n <= 2; n++) {
      ConnectRestClient anonymous = as(n, Optional.empty());
      assertThatThrownBy(anonymous::connectors)
          .isInstanceOfSatisfying(
              ConnectRestException.class, e -> assertThat(e.status()).isEqualTo(401))
          .hasMessageContaining("locked");
      assertThatThrownBy(
              () ->
                  anonymous.putConnector(
                      "anyone", Map.of("connector.class", "MirrorHeartbeatConnector")))
          .isInstanceOfSatisfying(
              ConnectRestException.class, e -> assertThat(e.status()).isEqualTo(401));
      ConnectRestClient wrong =
          as(n, Optional.of(new ConnectRestCredentials(user.user(), user.password() + "x")));
      assertThatThrownBy(wrong::connectors)
          .isInstanceOfSatisfying(
              ConnectRestException.class, e -> assertThat(e.status()).isEqualTo(401))
          .hasMessageNotContaining(user.password());
      assertThat(as(n, Optional.of(user)).connectors()).isEmpty();
    }
  }

  @Test
  @Order(2)
  void kdrConfigApplyLogsInThroughEitherWorkerAndReplicationRuns() throws Exception {
    Path password = dir.resolve("connect-rest.password");
    Files.createFile(
        password,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(password, user.password() + "\n");
    // One of the two workers is not the leader: its writes are forwarded to the leader.
    String first = kdr(file("alpha"), 2, password);
    String second = kdr(file("alpha", "beta"), 1, password);
    assertThat(first + second)
        .doesNotContain(user.password())
        .contains("over plain HTTP, readable on the network");
    ConnectRestClient connect = as(1, Optional.of(user));
    for (String tenant : List.of("alpha", "beta")) {
      connect.awaitRunning(tenant + ".primary-to-secondary.source", Duration.ofSeconds(90));
    }
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  admin
                      .listTopics()
                      .names()
                      .get()
                      .containsAll(List.of("primary.alpha.orders", "primary.beta.orders")));
    }
    System.out.printf(
        "locked REST: kdr config apply through worker 2, then worker 1; tenants running%n");
  }

  @Test
  @Order(3)
  void aConnectorWithAnOverrideKafkaDrDoesNotRenderIsRefusedByTheWorker() {
    ConnectRestClient connect = as(2, Optional.of(user));
    Map<String, String> stock =
        Map.of(
            "connector.class", "org.apache.kafka.connect.mirror.MirrorSourceConnector",
            "source.cluster.alias", "primary",
            "target.cluster.alias", "secondary",
            "source.cluster.bootstrap.servers", sandbox.primary().bootstrapServers(),
            "target.cluster.bootstrap.servers", sandbox.secondary().bootstrapServers(),
            "topics", "alpha\\..*");
    for (Map.Entry<String, String> override :
        Map.of(
                "producer.override.interceptor.classes", "com.example.Spy",
                "producer.override.acks", "0",
                "producer.override.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"admin\" password=\"x\";")
            .entrySet()) {
      Map<String, String> config = new java.util.HashMap<>(stock);
      config.put(override.getKey(), override.getValue());
      assertThatThrownBy(() -> connect.putConnector("rogue", config))
          .as(override.getKey())
          .isInstanceOfSatisfying(
              ConnectRestException.class, e -> assertThat(e.status()).isEqualTo(400))
          .hasMessageContaining(override.getKey());
    }
    assertThat(connect.connectors()).doesNotContain("rogue");
  }

  @Test
  @Order(4)
  void theRestPasswordIsInNoFileButTheLocksOwnAndThatIsMode600() throws Exception {
    Path users;
    try (Stream<Path> written = Files.walk(sandbox.workDir())) {
      users =
          written
              .filter(f -> f.getFileName().toString().endsWith("-rest-users.properties"))
              .findFirst()
              .orElseThrow();
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users)))
        .isEqualTo("rw-------");
    var scan =
        dev.kafkadr.testkit.secrets.SecretScan.scan(
            sandbox.workDir(), user.password(), users::equals);
    assertThat(scan.read()).hasSizeGreaterThan(10);
    assertThat(scan.holding()).isEmpty();
  }

  private static String kdr(Path file, int worker, Path password) {
    StringWriter out = new StringWriter();
    List<String> args =
        new ArrayList<>(
            List.of(
                "config",
                "apply",
                "--file",
                file.toString(),
                "--connect",
                sandbox.connectRestUrl(worker),
                "--connect-user",
                user.user(),
                "--connect-password-file",
                password.toString(),
                "--timeout",
                "90"));
    int code =
        KdrCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(out))
            .execute(args.toArray(String[]::new));
    System.out.println("kdr config apply via worker " + worker + " -> " + code + "\n" + out);
    assertThat(code).as(out.toString()).isZero();
    return out.toString();
  }

  private static Path file(String... tenants) throws Exception {
    StringBuilder yaml = new StringBuilder(sandbox.tenantsFileClusters());
    yaml.append("flows:\n  - {source: primary, target: secondary, tenants: ")
        .append(List.of(tenants))
        .append("}\ntenants:\n");
    for (String t : tenants) {
      yaml.append("  - id: ")
          .append(t)
          .append("\n    topics: {include: [\"")
          .append(t)
          .append("\\\\..*\"]}\n    groups: {include: [\"")
          .append(t)
          .append("-.*\"]}\n    rpo: 30s\n    rto: 5m\n")
          .append("    overrides: {replication.factor: 1, refresh.topics.interval.seconds: 1}\n");
    }
    Path file = dir.resolve("tenants-" + tenants.length + ".yaml");
    Files.writeString(file, yaml.toString());
    return file;
  }
}
