package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.cli.KdrCli;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.process.ChildProcess;
import dev.kafkadr.sandbox.process.FreePorts;
import dev.kafkadr.tenant.Provenance;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafka-dr's plugin zip, unpacked unchanged, loaded by a Kafka Connect 3.7.2 worker, MSK Connect's
 * newest runtime, on the tests' JVM (Java 17, as MSK Connect runs it), beside the 4.1.2 brokers,
 * laid out as the MSK Connect custom plugin is (the zip's jars with MirrorMaker 2's 3.7.2 jars; the
 * worker's classpath holds no MM2): the worker lists kafka-dr's classes, a tenant applied with
 * {@code kdr config apply} replicates with identical names and provenance headers under kafka-dr's
 * client override policy, and the worker's log holds no class-loading error. The worker's jars come
 * from the connect-compat module (connect-runtime and connect-mirror 3.7.2 with their own
 * dependencies); the worker runs in its own JVM and is stopped by PID.
 */
class Connect37PluginIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "zeta.orders";
  private static final int RECORDS = 200;

  private static Sandbox sandbox;
  private static ChildProcess worker;
  private static String rest;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    Path libs = Path.of(System.getProperty("kdr.connect37.libs"));
    if (!Files.isDirectory(libs)) {
      throw new AssertionError(
          libs
              + " is missing: build the Connect 3.7.2 runtime first (mvn -B -pl connect-compat package)");
    }
    sandbox = Sandbox.builder().dns(false).connectWorkers(0).start();
    Path plugins = dir.resolve("plugins");
    unzip(Path.of(System.getProperty("kdr.plugin.zip")), plugins);
    // The custom plugin as configs/README.md says to build it for MSK Connect: the zip's jars and
    // MM2's of the runtime's version in one plugin directory; the worker has no MM2 of its own.
    Path plugin = plugins.resolve("kafka-dr-connect-plugins");
    try (var mirror = Files.list(libs.resolveSibling("mirror"))) {
      for (Path jar : mirror.toList()) {
        Files.copy(jar, plugin.resolve(jar.getFileName()));
      }
    }
    try (var classpath = Files.list(libs)) {
      assertThat(classpath.map(p -> p.getFileName().toString()))
          .as("the worker's own classpath")
          .anyMatch(n -> n.startsWith("connect-runtime-3.7.2"))
          .noneMatch(n -> n.startsWith("connect-mirror"));
    }
    int port = FreePorts.allocate(1, false).get(0);
    rest = "http://127.0.0.1:" + port;
    Path properties = dir.resolve("worker.properties");
    Files.writeString(properties, workerProperties(port, plugins));
    Path log4j = dir.resolve("log4j.properties");
    Files.writeString(
        log4j,
        String.join(
            "\n",
            "log4j.rootLogger=INFO, stdout",
            "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
            "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
            "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
            ""));
    String java = ProcessHandle.current().info().command().orElse("java");
    // Under the sandbox's wrapper: stopped by its PID when this JVM's pipe closes, even if the
    // test JVM is killed before @AfterAll runs.
    worker =
        dev.kafkadr.sandbox.process.NativeServer.prepare(
            "connect-3.7.2",
            dir,
            List.of(
                java,
                "-Xmx512m",
                "-Dlog4j.configuration=file:" + log4j,
                "-Dkdr.replication.principals=",
                "-cp",
                libs + "/*",
                "org.apache.kafka.connect.cli.ConnectDistributed",
                properties.toString()));
    worker.start();
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(() -> get("/").path("version").asText().equals("3.7.2"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the 3.7.2 worker did not answer; its log:\n" + worker.tail(60), e);
    }
  }

  @AfterAll
  static void stop() {
    try {
      if (worker != null) {
        worker.stop(Duration.ofSeconds(10));
      }
    } finally {
      if (sandbox != null) {
        sandbox.close();
      }
    }
  }

  private static String workerProperties(int port, Path plugins) {
    Map<String, String> p = new TreeMap<>();
    // The worker's cluster is the target, as an MSK Connect worker's is its MSK cluster.
    p.put("bootstrap.servers", sandbox.secondary().bootstrapServers());
    p.put("group.id", "kdr-connect-37");
    p.put("listeners", "http://127.0.0.1:" + port);
    p.put("rest.advertised.host.name", "127.0.0.1");
    p.put("rest.advertised.port", Integer.toString(port));
    for (String converter : List.of("key", "value", "header")) {
      p.put(converter + ".converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    }
    for (String store : List.of("config", "offset", "status")) {
      p.put(store + ".storage.topic", "kdr-connect-37-" + store + "s");
      p.put(store + ".storage.replication.factor", "1");
    }
    p.put("offset.flush.interval.ms", "1000");
    p.put("plugin.path", plugins.toString());
    p.put(
        "connector.client.config.override.policy",
        KafkaDrConnectorClientConfigOverridePolicy.class.getName());
    p.putAll(ClusterClients.CONFIG_PROVIDERS);
    return p.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void aThreeSevenWorkerLoadsThePluginAndReplicatesATenantWithIt() throws Exception {
    List<String> classes = new ArrayList<>();
    get("/connector-plugins?connectorsOnly=false")
        .forEach(p -> classes.add(p.path("class").asText()));
    System.out.println("Connect 3.7.2 worker's plugins: " + classes);
    assertThat(classes)
        .contains(
            TenantMirrorSourceConnector.class.getName(),
            TenantMirrorCheckpointConnector.class.getName(),
            ProvenanceHeaders.class.getName(),
            OriginIs.class.getName());
    // The worker started with kafka-dr's client override policy (a plugin of the zip too), and
    // the replication policy loads with the connectors below.

    sandbox.primary().createTopics(new NewTopic(TOPIC, 2, (short) 1));
    try (var producer =
        new KafkaProducer<>(
            sandbox.primary().adminConfig(), new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>(TOPIC, "k" + i, "v" + i));
      }
    }
    applyTenant();
    List<ConsumerRecord<String, String>> copies = copies();
    assertThat(copies).hasSize(RECORDS);
    assertThat(copies)
        .allSatisfy(
            r -> {
              assertThat(r.value()).isEqualTo("v" + r.key().substring(1));
              assertThat(r.headers().lastHeader(Provenance.DEFAULT_HEADER))
                  .as("provenance of " + r)
                  .isNotNull();
            });
    String log = Files.readString(worker.logFile());
    assertThat(log)
        .doesNotContain("ClassNotFoundException")
        .doesNotContain("NoClassDefFoundError")
        .doesNotContain("NoSuchMethodError")
        .doesNotContain("UnsupportedClassVersionError");
    System.out.printf(
        "Connect 3.7.2 (%s) copied %d of %d records of %s with kafka-dr's plugin zip, unchanged%n",
        get("/").path("commit").asText(), copies.size(), RECORDS, TOPIC);
  }

  /** Applies tenant {@code zeta} (identical names) to the 3.7.2 worker with kdr config apply. */
  private static void applyTenant() throws Exception {
    Path file = dir.resolve("tenants.yaml");
    Files.writeString(
        file,
        sandbox.tenantsFileClusters()
            + String.join(
                "\n",
                "flows:",
                "  - {source: primary, target: secondary, tenants: [zeta]}",
                "tenants:",
                "  - id: zeta",
                "    topics: {include: [\"zeta\\\\..*\"]}",
                "    groups: {include: [\"zeta-.*\"]}",
                "    naming: identical",
                "    rpo: 30s",
                "    rto: 5m",
                "    overrides: {replication.factor: 1, refresh.topics.interval.seconds: 1}",
                ""));
    StringWriter out = new StringWriter();
    int code =
        KdrCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(out))
            .execute(
                "config", "apply", "--file", file.toString(), "--connect", rest, "--timeout", "90");
    System.out.println("kdr config apply against Connect 3.7.2 -> " + code + "\n" + out);
    assertThat(code).as(out.toString()).isZero();
    assertThat(out.toString()).contains("every changed connector is RUNNING");
  }

  /** Every copy of {@link #TOPIC} on the secondary, read until {@link #RECORDS} are there. */
  private static List<ConsumerRecord<String, String>> copies() {
    Map<String, Object> reader = new HashMap<>(sandbox.secondary().adminConfig());
    List<ConsumerRecord<String, String>> copies = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(reader, new StringDeserializer(), new StringDeserializer())) {
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(
              () -> {
                if (consumer.assignment().isEmpty()) {
                  List<TopicPartition> parts =
                      List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
                  consumer.assign(parts);
                  consumer.seekToBeginning(parts);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(copies::add);
                return copies.size() >= RECORDS;
              });
    }
    return copies;
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(rest + path))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private static void unzip(Path zip, Path into) throws Exception {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (var e : java.util.Collections.list(z.entries())) {
        Path to = into.resolve(e.getName()).normalize();
        if (!to.startsWith(into)) {
          throw new IllegalStateException("zip entry outside the directory: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(to);
        } else {
          Files.createDirectories(to.getParent());
          try (var in = z.getInputStream(e)) {
            Files.copy(in, to);
          }
        }
      }
    }
  }
}
