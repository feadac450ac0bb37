package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.config.cli.KdrCli;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectRestCredentials;
import dev.kafkadr.config.connect.ConnectRestException;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.kafka.ClusterSecurity;
import dev.kafkadr.testkit.net.ProcessConnections;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's secured mode ({@code Sandbox.builder().secured()}): every broker listener TLS, the
 * workers replicating as a principal that only reads the source, and every Kafka connection of the
 * workers and brokers, listed by PID, on a TLS listener. Connect's REST API locked: two workers
 * with Connect's {@code BasicAuthSecurityRestExtension} and kafka-dr's client override policy.
 * Anonymous and wrong callers are refused on both workers; {@code kdr config apply} logs in,
 * through either worker, so that requests one worker forwards to the other carry the caller's
 * credentials; a connector with an override kafka-dr does not render is refused by the worker, even
 * with the right credentials. (Connect asks the override policy only about the clients it builds
 * for a connector: the producer of a source connector, the consumer of a sink connector, the admin
 * client where topic creation or a dead letter queue is used; the policy's own test covers the
 * consumer and admin refusals.)
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
            .secured()
            .pluginPath(Path.of(System.getProperty("kdr.plugin.dir")))
            .start();
    user = sandbox.connectRestCredentials().orElseThrow();
    // kdr config apply runs in this JVM as the platform's operator, not as replication.
    for (String cluster : List.of(Sandbox.PRIMARY, Sandbox.SECONDARY)) {
      System.setProperty(
          dev.kafkadr.config.ClientIdentity.property(cluster),
          sandbox.clientIdentity(ClusterSecurity.ADMIN).toString());
    }
    sandbox
        .primary()
        .createTopics(
            new NewTopic("alpha.orders", 1, (short) 1), new NewTopic("beta.orders", 1, (short) 1));
    try (var producer =
        new KafkaProducer<>(
            sandbox.primary().adminConfig(), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("alpha.orders", "k", "alpha"));
      producer.send(new ProducerRecord<>("beta.orders", "k", "beta"));
      producer.flush();
    }
  }

  @AfterAll
  static void stop() {
    for (String cluster : List.of(Sandbox.PRIMARY, Sandbox.SECONDARY)) {
      System.clearProperty(dev.kafkadr.config.ClientIdentity.property(cluster));
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private static ConnectRestClient as(int worker, Optional<ConnectRestCredentials> who) {
    return new ConnectRestClient(
        sandbox.connectRestUrl(worker), who, sandbox.connectRestTrust(), () -> {});
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
    // The workers' REST API is HTTPS in secured mode: no password goes over plain HTTP.
    assertThat(sandbox.connectRestUrl(1)).startsWith("https://");
    assertThat(first + second)
        .doesNotContain(user.password())
        .doesNotContain("over plain HTTP, readable on the network");
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
                "producer.override.interceptor.classes",
                "com.example.Spy",
                "producer.override.acks",
                "0",
                // the controller's key store: a login as the controller over mutual TLS
                "producer.override.ssl.keystore.location",
                sandbox.tls().issue(ClusterSecurity.CONTROLLER).keyStore().toString(),
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
    Path storePassword = sandbox.tls().passwordFile();
    var stores =
        dev.kafkadr.testkit.secrets.SecretScan.scan(
            sandbox.workDir(), sandbox.tls().keyStorePassword(), storePassword::equals);
    assertThat(stores.holding()).as("files holding the key stores' password").isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(storePassword)))
        .isEqualTo("rw-------");
  }

  @Test
  @Order(5)
  void everyListenerSpeaksTlsAndEveryKafkaConnectionOfTheWorkersAndBrokersUsesOne()
      throws Exception {
    Set<Integer> tls = new TreeSet<>();
    for (var cluster : List.of(sandbox.primary(), sandbox.secondary())) {
      tls.addAll(cluster.listenerPorts());
      Set<Integer> brokerSide = new TreeSet<>(cluster.listenerPorts());
      brokerSide.removeAll(cluster.wanRoutes().keySet());
      for (int port : brokerSide) {
        assertThat(handshake(port)).as("port " + port).startsWith("TLSv1.");
      }
    }
    Set<Integer> rest = new TreeSet<>();
    sandbox.description().processes().stream()
        .filter(p -> p.role().startsWith("connect-"))
        .forEach(p -> rest.addAll(p.ports()));
    for (int port : rest) {
      assertThat(handshake(port)).as("Connect REST port " + port).startsWith("TLSv1.");
    }
    tls.addAll(rest);
    // A request one worker forwards to the other, so that a worker-to-worker connection is open.
    as(2, Optional.of(user)).restart("alpha.primary-to-secondary.source");
    for (var proc : sandbox.description().processes()) {
      int overTls = 0;
      int toRest = 0;
      for (var c : ProcessConnections.established(proc.pid())) {
        if (!tls.contains(c.localPort()) && !tls.contains(c.remotePort())) {
          throw new AssertionError(proc.role() + " holds a connection to no TLS port: " + c);
        }
        overTls++;
        toRest += rest.contains(c.remotePort()) || rest.contains(c.localPort()) ? 1 : 0;
      }
      System.out.printf(
          "secured: %s (PID %d) %d connections, every one on a TLS port (%d of them Connect REST)%n",
          proc.role(), proc.pid(), overTls, toRest);
      assertThat(overTls).as(proc.role() + " connections over TLS").isPositive();
    }
  }

  @Test
  @Order(6)
  void replicationOnlyReadsTheSourceItsOffsetSyncsLiveOnTheTarget() throws Exception {
    Map<String, Object> replication =
        new java.util.HashMap<>(sandbox.primary().clientConfig(ClusterSecurity.REPLICATION));
    try (Admin admin = Admin.create(replication)) {
      assertThatThrownBy(
              () ->
                  admin
                      .createTopics(List.of(new NewTopic("alpha.sneaky", 1, (short) 1)))
                      .all()
                      .get())
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    replication.put("max.block.ms", 10_000);
    try (var producer =
        new KafkaProducer<>(replication, new StringSerializer(), new StringSerializer())) {
      // Refused before any write: its idempotent producer may not even take a producer id.
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>("alpha.orders", "k", "x")).get())
          .hasCauseInstanceOf(ClusterAuthorizationException.class);
    }
    try (Admin primary = Admin.create(sandbox.primary().adminConfig());
        Admin secondary = Admin.create(sandbox.secondary().adminConfig())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  secondary.listTopics().names().get().stream()
                      .anyMatch(t -> t.startsWith("mm2-offset-syncs.")));
      assertThat(primary.listTopics().names().get())
          .noneMatch(t -> t.startsWith("mm2-offset-syncs."));
    }
  }

  /** The protocol a TLS handshake as the sandbox's own principal agrees on at {@code port}. */
  private static String handshake(int port) throws Exception {
    SSLContext context = sandbox.tls().sslContext(ClusterSecurity.ADMIN);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return socket.getSession().getProtocol();
    }
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
                "--connect-truststore",
                sandbox.tls().caCertificate().toString(),
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
