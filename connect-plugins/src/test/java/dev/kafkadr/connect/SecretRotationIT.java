package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.config.cli.KdrCli;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.kafka.ClusterSecurity;
import dev.kafkadr.sandbox.kafka.KafkaClusterProcesses;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication's SCRAM password rotated while a tenant replicates under load, on a secured sandbox
 * (replication over SASL_SSL as {@code kdr-replication}, its password a {@code ${file:...}}
 * reference the workers resolve): the password changed on both clusters, the secrets file
 * rewritten, {@code kdr config restart} restarting the tenant's connectors so that they read it
 * again. SCRAM keeps one credential per user and mechanism, so between the change on the brokers
 * and the restart every new login with the old password fails: the window and the failed logins
 * (counted from the brokers' logs) are measured and printed; no record is lost.
 */
class SecretRotationIT {

  private static final String TOPIC = "rot.orders";
  private static Sandbox sandbox;
  @TempDir static Path dir;
  private static Path secrets;

  @BeforeAll
  static void start() throws Exception {
    sandbox =
        Sandbox.builder()
            .name("rotation")
            .dns(false)
            .secured()
            .pluginPath(Path.of(System.getProperty("kdr.plugin.dir")))
            .start();
    // kdr config apply runs in this JVM as the operator, on the listener the tenants file names
    // (SASL_SSL): the sandbox's own principal as a SCRAM user there.
    String operatorPassword = UUID.randomUUID().toString();
    for (KafkaClusterProcesses c : List.of(sandbox.primary(), sandbox.secondary())) {
      c.addScramUser(ClusterSecurity.ADMIN, operatorPassword);
    }
    Path operator = dir.resolve("operator.properties");
    Files.createFile(
        operator,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        operator,
        String.join(
            "\n",
            "security.protocol=SASL_SSL",
            "sasl.mechanism=SCRAM-SHA-512",
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\""
                + ClusterSecurity.ADMIN
                + "\" password=\""
                + operatorPassword
                + "\";",
            "ssl.truststore.location=" + sandbox.tls().trustStore(),
            "ssl.truststore.password=" + sandbox.tls().passwordReference(),
            ""));
    for (String cluster : List.of(Sandbox.PRIMARY, Sandbox.SECONDARY)) {
      System.setProperty(dev.kafkadr.config.ClientIdentity.property(cluster), operator.toString());
    }
    sandbox.primary().createTopics(new NewTopic(TOPIC, 2, (short) 1));
    secrets = dir.resolve("secrets.properties");
    Files.createFile(
        secrets,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    rotateTo(UUID.randomUUID().toString());
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

  /** The password set on both clusters' SCRAM user and written to the secrets file. */
  private static void rotateTo(String password) throws Exception {
    for (KafkaClusterProcesses c : List.of(sandbox.primary(), sandbox.secondary())) {
      c.addScramUser(ClusterSecurity.REPLICATION, password);
    }
    Path next = dir.resolve("secrets.next");
    Files.deleteIfExists(next);
    Files.createFile(
        next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(next, "replication.password=" + password + "\n");
    Files.move(next, secrets, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aRotatedScramPasswordIsPickedUpByARestartAndNothingIsLost() throws Exception {
    Path file = tenantsFile();
    kdr("config", "apply", "--file", file.toString(), "--timeout", "90");
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicLong acked = new AtomicLong();
    java.util.Set<String> ackedValues = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread load = new Thread(() -> produce(producing, acked, ackedValues), "rotation-load");
    load.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> copied() > 500);
      // The count of failed logins sees one: a login with a wrong password, refused.
      long base = failedLogins();
      Map<String, Object> wrong =
          new java.util.HashMap<>(
              sandbox.primary().tenantClientConfig(ClusterSecurity.REPLICATION, "not-it"));
      wrong.put("request.timeout.ms", 5_000);
      wrong.put("default.api.timeout.ms", 10_000);
      try (var admin = org.apache.kafka.clients.admin.Admin.create(wrong)) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> admin.describeCluster().clusterId().get())
            .hasCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> failedLogins() > base);
      long before = failedLogins();
      java.util.Set<Integer> loggedInBefore = tenantConnections();
      long t0 = System.nanoTime();
      rotateTo(UUID.randomUUID().toString());
      String restart = kdr("config", "restart", "--file", file.toString(), "--tenant", "rot");
      long running = System.nanoTime();
      long atRestart = copied();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> copied() > atRestart && replicatingAgain());
      long flowing = System.nanoTime();
      // The restarted tasks logged in again, with the new password: connections the worker did
      // not hold before the rotation, on the listener where only the new password is taken.
      // Still open three seconds later: a login that failed would have been closed by the broker.
      java.util.Set<Integer> fresh = tenantConnections();
      fresh.removeAll(loggedInBefore);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                fresh.retainAll(tenantConnections());
                return !fresh.isEmpty();
              });
      assertThat(fresh).as("the worker's new logins after the restart").isNotEmpty();
      long failed = settledFailedLogins() - before;
      producing.set(false);
      load.join();
      await().atMost(Duration.ofSeconds(90)).until(() -> copied() >= acked.get());
      assertThat(restart).contains("restarted rot.primary-to-secondary.source", "RUNNING again");
      List<String> copies = readCopies();
      java.util.Set<String> missing = new java.util.TreeSet<>(ackedValues);
      copies.forEach(missing::remove);
      assertThat(missing).as("acknowledged records missing from the copy").isEmpty();
      long twice = copies.size() - new java.util.HashSet<>(copies).size();
      System.out.printf(
          "SCRAM rotation of %s: connectors RUNNING again %d ms after the password changed on the"
              + " brokers, copies flowing again after %d ms; %d failed logins on the brokers"
              + " meanwhile; %,d records acknowledged, all copied (%,d copied twice, at least"
              + " once)%n",
          ClusterSecurity.REPLICATION,
          (running - t0) / 1_000_000,
          (flowing - t0) / 1_000_000,
          failed,
          acked.get(),
          twice);
    } finally {
      producing.set(false);
      load.join();
    }
  }

  /** Whether every task of the tenant's source connector runs. */
  private static boolean replicatingAgain() {
    return sandbox.connect().status("rot.primary-to-secondary.source").isRunning();
  }

  /** Every value on the copy of the topic, read from the start. */
  private static List<String> readCopies() {
    Map<String, Object> config =
        new java.util.HashMap<>(sandbox.secondary().clientConfig(ClusterSecurity.ADMIN));
    config.put("enable.auto.commit", "false");
    List<String> out = new ArrayList<>();
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            config,
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new org.apache.kafka.common.serialization.StringDeserializer())) {
      List<org.apache.kafka.common.TopicPartition> partitions =
          consumer.partitionsFor(TOPIC).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(TOPIC, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the copy was not read to its end within 60 s");
        }
        consumer.poll(Duration.ofMillis(500)).forEach(r -> out.add(r.value()));
      }
    }
    return out;
  }

  private static void produce(
      AtomicBoolean producing, AtomicLong acked, java.util.Set<String> ackedValues) {
    Map<String, Object> config =
        new java.util.HashMap<>(sandbox.primary().clientConfig(ClusterSecurity.ADMIN));
    config.put("acks", "all");
    try (var producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      long i = 0;
      while (producing.get()) {
        String value = "v" + i;
        producer.send(
            new ProducerRecord<>(TOPIC, "k" + (i % 16), value),
            (m, e) -> {
              if (e == null) {
                ackedValues.add(value);
                acked.incrementAndGet();
              }
            });
        i++;
        if (i % 20 == 0) {
          producer.flush();
          dev.kafkadr.sandbox.process.Io.sleep(100);
        }
      }
      producer.flush();
    }
  }

  private static long copied() {
    return sandbox.secondary().endOffsetSum(TOPIC);
  }

  /** Local ports of the Connect worker's connections to the brokers' SASL_SSL listeners. */
  private static java.util.Set<Integer> tenantConnections() {
    java.util.Set<Integer> listener = new java.util.HashSet<>();
    for (KafkaClusterProcesses c : List.of(sandbox.primary(), sandbox.secondary())) {
      for (String address : c.tenantBootstrapServers().split(",")) {
        listener.add(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
      }
    }
    java.util.Set<Integer> out = new java.util.HashSet<>();
    long worker =
        sandbox.description().processes().stream()
            .filter(p -> "connect-1".equals(p.role()))
            .findFirst()
            .orElseThrow()
            .pid();
    dev.kafkadr.testkit.net.ProcessConnections.established(worker).stream()
        .filter(c -> listener.contains(c.remotePort()))
        .forEach(c -> out.add(c.localPort()));
    return out;
  }

  /**
   * {@link #failedLogins()} once it has not changed for two seconds (logs are written late); a
   * count still growing after 30 s fails: some client kept the old password.
   */
  private static long settledFailedLogins() throws Exception {
    AtomicLong last = new AtomicLong(failedLogins());
    await("failed logins settled (still growing: a client kept the old password)")
        .atMost(Duration.ofSeconds(32))
        .pollDelay(Duration.ofSeconds(2))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> failedLogins() == last.getAndSet(failedLogins()));
    return last.get();
  }

  /** Failed SASL logins the brokers logged so far (Kafka logs each at INFO). */
  private static long failedLogins() throws Exception {
    long n = 0;
    List<Path> logs = new ArrayList<>();
    for (KafkaClusterProcesses c : List.of(sandbox.primary(), sandbox.secondary())) {
      c.nodes().forEach(node -> logs.add(node.logFile()));
    }
    for (Path log : logs) {
      try (var lines = Files.lines(log)) {
        n += lines.filter(l -> l.contains("Failed authentication with")).count();
      }
    }
    return n;
  }

  private static Path tenantsFile() throws Exception {
    var tls = sandbox.tls();
    StringBuilder yaml = new StringBuilder("clusters:\n");
    for (KafkaClusterProcesses c : List.of(sandbox.primary(), sandbox.secondary())) {
      yaml.append("  - alias: ")
          .append(c.name())
          .append("\n    bootstrap: \"")
          .append(c.tenantBootstrapServers())
          .append("\"\n    security: {protocol: SASL_SSL, mechanism: SCRAM-SHA-512, username: ")
          .append(ClusterSecurity.REPLICATION)
          .append(", password: \"${file:")
          .append(secrets)
          .append(":replication.password}\", truststore.location: \"")
          .append(tls.trustStore())
          .append("\", truststore.password: \"")
          .append(tls.passwordReference())
          .append("\"}\n");
    }
    yaml.append("flows:\n  - {source: primary, target: secondary, tenants: [rot]}\n")
        .append("tenants:\n  - id: rot\n    naming: identical\n")
        .append("    topics: {include: [\"rot\\\\..*\"]}\n    groups: {include: [\"rot-.*\"]}\n")
        .append("    rpo: 30s\n    rto: 5m\n")
        .append("    overrides: {replication.factor: 1, refresh.topics.interval.seconds: 1}\n");
    Path file = dir.resolve("tenants.yaml");
    Files.writeString(file, yaml.toString());
    return file;
  }

  private static String kdr(String... args) throws Exception {
    var user = sandbox.connectRestCredentials().orElseThrow();
    Path password = dir.resolve("connect-rest.password");
    if (!Files.exists(password)) {
      Files.createFile(
          password,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(password, user.password() + "\n");
    }
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--connect",
            sandbox.connectRestUrl(),
            "--connect-user",
            user.user(),
            "--connect-password-file",
            password.toString(),
            "--connect-truststore",
            sandbox.tls().caCertificate().toString()));
    StringWriter out = new StringWriter();
    int code =
        KdrCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(out))
            .execute(all.toArray(String[]::new));
    System.out.println("kdr " + String.join(" ", args) + " -> " + code + "\n" + out);
    assertThat(code).as(out.toString()).isZero();
    return out.toString();
  }
}
