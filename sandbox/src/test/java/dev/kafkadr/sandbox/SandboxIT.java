package dev.kafkadr.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.sandbox.process.Signals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** The default stack: two KRaft clusters, one Connect worker, BIND; what runs and how it stops. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxIT {

  private static Sandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().requireDns().start();
    System.out.println(sandbox.summary());
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  @Order(1)
  void runsTwoDistinctClustersThatServeRealClients() throws Exception {
    assertThat(sandbox.primary().clusterId()).isNotEqualTo(sandbox.secondary().clusterId());
    for (var cluster : List.of(sandbox.primary(), sandbox.secondary())) {
      try (Admin admin = Admin.create(cluster.adminConfig())) {
        assertThat(admin.describeCluster().clusterId().get()).isEqualTo(cluster.clusterId());
      }
      cluster.createTopics(new NewTopic("smoke", 1, (short) 1));
      try (var producer = producer(cluster.bootstrapServers())) {
        producer.send(new ProducerRecord<>("smoke", "k", "hello " + cluster.name())).get();
      }
      try (var consumer = consumer(cluster.bootstrapServers())) {
        consumer.subscribe(List.of("smoke"));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !consumer.poll(Duration.ofMillis(200)).isEmpty());
      }
    }
  }

  @Test
  @Order(2)
  void doesNotCreateTopicsAutomatically() {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                "bootstrap.servers", sandbox.primary().bootstrapServers(), "max.block.ms", 2000),
            new StringSerializer(),
            new StringSerializer())) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>("no-such-topic", "v")).get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TimeoutException.class);
    }
  }

  @Test
  @Order(3)
  void connectWorkerCanRunMirrorMaker2() {
    assertThat(sandbox.connect().connectorPlugins())
        .contains(
            "org.apache.kafka.connect.mirror.MirrorSourceConnector",
            "org.apache.kafka.connect.mirror.MirrorCheckpointConnector",
            "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector");
  }

  @Test
  @Order(4)
  void describesItselfInJsonWithoutSecrets() throws Exception {
    Path file = sandbox.workDir().resolve(StackDescription.FILE_NAME);
    StackDescription description = StackDescription.read(file);

    assertThat(description.supervisorPid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(description.clusters().get("primary").bootstrapServers())
        .isEqualTo(sandbox.primary().bootstrapServers());
    assertThat(description.processes())
        .extracting(StackDescription.Proc::role)
        .containsExactlyInAnyOrder("primary-broker-1", "secondary-broker-1", "connect-1", "dns");
    assertThat(description.processes())
        .allSatisfy(p -> assertThat(Signals.isAlive(p.pid())).isTrue());
    String keyFile = description.dns().tsigKeyFile();
    String secret = TsigKeys.secret(Path.of(keyFile));
    assertThat(Files.readString(file)).contains(keyFile).doesNotContain(secret);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(keyFile))))
        .isEqualTo("rw-------");
  }

  @Test
  @Order(5)
  void pausedBrokerStopsAnsweringAndResumes() throws Exception {
    long pid = sandbox.description().process("primary-broker-1").pid();
    sandbox.pause("primary-broker-1");
    try (Admin admin = Admin.create(sandbox.primary().adminConfig())) {
      assertThat(Signals.isPaused(pid)).isTrue();
      assertThatThrownBy(() -> admin.describeCluster().nodes().get(3, TimeUnit.SECONDS))
          .isInstanceOf(java.util.concurrent.TimeoutException.class);
      sandbox.resume("primary-broker-1");
      assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
    }
  }

  @Test
  @Order(6)
  void killedBrokerRestartsWithItsData() throws Exception {
    long before = sandbox.description().process("secondary-broker-1").pid();
    sandbox.kill("secondary-broker-1");
    assertThat(sandbox.isAlive("secondary-broker-1")).isFalse();
    assertThat(Signals.isAlive(before)).isFalse();

    sandbox.restart("secondary-broker-1");

    long after =
        StackDescription.read(sandbox.workDir().resolve(StackDescription.FILE_NAME))
            .process("secondary-broker-1")
            .pid();
    assertThat(after).isNotEqualTo(before);
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS).contains("smoke"));
    }
  }

  @Test
  @Order(7)
  void unknownRoleIsAClearError() {
    assertThatThrownBy(() -> sandbox.kill("primary-broker-9"))
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("primary-broker-9")
        .hasMessageContaining("connect-1");
  }

  @Test
  @Order(10)
  void dnsServesTheZoneAndAppliesASignedUpdate() throws Exception {
    StackDescription.Dns dns = sandbox.dns().orElseThrow();
    SimpleResolver resolver = resolver(dns);
    resolver.setTSIGKey(
        new TSIG(TSIG.HMAC_SHA256, dns.tsigKeyName(), TsigKeys.secret(Path.of(dns.tsigKeyFile()))));
    assertThat(query(resolver, "primary.kdr.test.", Type.A)).containsExactly("127.0.0.1");

    Update update = new Update(Name.fromString(dns.zone()));
    update.replace(
        Name.fromString("bootstrap.tenant-a.kdr.test."), Type.CNAME, 30, "secondary.kdr.test.");
    Message answer = resolver.send(update);

    assertThat(Rcode.string(answer.getRcode())).isEqualTo("NOERROR");
    assertThat(query(resolver(dns), "bootstrap.tenant-a.kdr.test.", Type.CNAME))
        .containsExactly("secondary.kdr.test.");
  }

  @Test
  @Order(11)
  void dnsRefusesUnsignedAndWronglySignedUpdates() throws Exception {
    StackDescription.Dns dns = sandbox.dns().orElseThrow();
    Update update = new Update(Name.fromString(dns.zone()));
    update.replace(Name.fromString("evil.kdr.test."), Type.A, 30, "127.0.0.66");

    Message unsigned = resolver(dns).send(update);
    assertThat(Rcode.string(unsigned.getRcode())).isEqualTo("REFUSED");

    SimpleResolver wrongKey = resolver(dns);
    wrongKey.setTSIGKey(
        new TSIG(
            TSIG.HMAC_SHA256,
            dns.tsigKeyName(),
            "c2VjcmV0LXRoYXQtaXMtbm90LXRoZS1zYW5kYm94LWtleQ=="));
    Message badSignature = wrongKey.send(update);
    assertThat(Rcode.string(badSignature.getRcode())).isEqualTo("NOTAUTH");

    assertThat(query(resolver(dns), "evil.kdr.test.", Type.A)).isEmpty();
  }

  @Test
  @Order(20)
  void closeStopsEveryProcessByPidAndRemovesTheWorkDir() {
    List<Long> pids =
        sandbox.description().processes().stream().map(StackDescription.Proc::pid).toList();
    Path workDir = sandbox.workDir();

    sandbox.close();

    assertThat(pids)
        .allSatisfy(pid -> assertThat(Signals.isAlive(pid)).as("PID %d", pid).isFalse());
    assertThat(workDir).doesNotExist();
  }

  private static SimpleResolver resolver(StackDescription.Dns dns) throws Exception {
    SimpleResolver resolver = new SimpleResolver(dns.host());
    resolver.setPort(dns.port());
    resolver.setTimeout(Duration.ofSeconds(3));
    return resolver;
  }

  private static List<String> query(SimpleResolver resolver, String name, int type)
      throws Exception {
    Message answer =
        resolver.send(
            Message.newQuery(
                org.xbill.DNS.Record.newRecord(Name.fromString(name), type, DClass.IN)));
    return answer.getSection(Section.ANSWER).stream()
        .map(org.xbill.DNS.Record::rdataToString)
        .toList();
  }

  static KafkaProducer<String, String> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", bootstrap, "acks", "all"),
        new StringSerializer(),
        new StringSerializer());
  }

  static KafkaConsumer<String, String> consumer(String bootstrap) {
    return new KafkaConsumer<>(
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "group.id",
            "smoke-" + System.nanoTime(),
            "auto.offset.reset",
            "earliest"),
        new StringDeserializer(),
        new StringDeserializer());
  }
}
