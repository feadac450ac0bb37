package dev.kafkadr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.sandbox.PluginDirectories;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.apps.SecuredTenantFile;
import dev.kafkadr.sandbox.process.ControllerProcess;
import dev.kafkadr.testkit.controller.ControllerApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How fast a verify drill compares a tenant's records with their copies, on the sandbox with the
 * packaged controller as a child JVM: a tenant of 30 partitions filled with 1 KiB records
 * (incompressible) and copied by MM2 with kafka-dr's plugins; a first drill compares everything, a
 * second one, after 1% more records, only what was added plus its random sample of older ranges.
 * Prints the bytes compared per side, the comparison's MiB/s per side, the whole drill's wall time,
 * the incremental drill's against the full one, and the time a 100 GiB tenant would take at the
 * measured rate (the goal: 10 minutes).
 */
@Command(
    name = "drill-bench",
    mixinStandardHelpOptions = true,
    description = "Throughput of a verify drill's comparison on the sandbox.")
public final class DrillBenchmark implements Callable<Integer> {

  private static final String TENANT = "drill";
  private static final int PARTITIONS = 30;
  private static final int RECORD_BYTES = 1024;
  private static final String OPERATOR = "bench-operator";

  @Option(
      names = "--mib",
      defaultValue = "1024",
      description = "MiB of record values to fill the tenant with. Default: ${DEFAULT-VALUE}.")
  int mib;

  @Option(
      names = "--plugin-dir",
      description = "The connect-plugins plugin directory (default: found in the build tree).")
  Path pluginDir;

  private final String password = java.util.UUID.randomUUID().toString();

  /** Runs the benchmark and exits with its code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new DrillBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (mib < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--mib: must be at least 1, was " + mib);
    }
    Path plugins = pluginDir != null ? pluginDir : PluginDirectories.inBuildTree(Path.of(""));
    Path dir = Files.createTempDirectory("kdr-drill-bench");
    try (Sandbox sandbox =
        Sandbox.builder().name("drill-bench").dns(false).pluginPath(plugins).start()) {
      System.out.println(sandbox.summary());
      sandbox
          .primary()
          .createTopics(
              List.of(new NewTopic(TENANT + ".events", PARTITIONS, (short) 1)),
              Duration.ofSeconds(60));
      var tenants =
          TenantsFileParser.parse(
              SecuredTenantFile.write(
                  sandbox,
                  dir.resolve("tenants.yaml"),
                  TENANT,
                  "drill-producer",
                  "drill-consumer"));
      ConnectConfigs.render(tenants).forEach(sandbox.connect()::putConnector);
      try (ControllerProcess controller =
          new ControllerProcess(
              ControllerProcess.inBuildTree(),
              ControllerProcess.sandboxConfig(sandbox, dir, Map.of(OPERATOR, "operator"), password),
              dir.resolve("controller.log"))) {
        ControllerApi api =
            new ControllerApi(controller.url(), controller.tls(), OPERATOR, password);
        long records = (long) mib * 1024 * 1024 / RECORD_BYTES;
        produce(sandbox, records, 0);
        awaitCopied(api);
        JsonNode full = api.runWorkflow(TENANT, "drill-verify");
        produce(sandbox, Math.max(PARTITIONS, records / 100), records);
        awaitCopied(api);
        JsonNode incremental = api.runWorkflow(TENANT, "drill-verify");
        report(records, full, incremental);
      }
    } catch (Exception e) {
      System.err.println("the controller's log and journal are kept in " + dir);
      throw e;
    }
    dev.kafkadr.sandbox.process.Io.deleteTree(dir);
    return 0;
  }

  private static void produce(Sandbox sandbox, long records, long first) throws Exception {
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers",
            sandbox.primary().bootstrapServers(),
            "acks",
            "1",
            "linger.ms",
            20,
            "batch.size",
            262_144,
            "compression.type",
            "none");
    Random random = new Random(first);
    byte[][] values = new byte[256][RECORD_BYTES]; // random, so that nothing compresses them
    for (byte[] v : values) {
      random.nextBytes(v);
    }
    long started = System.nanoTime();
    try (var producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long i = 0; i < records; i++) {
        byte[] value = values[(int) ((first + i) % values.length)];
        producer.send(
            new ProducerRecord<>(
                TENANT + ".events",
                (int) ((first + i) % PARTITIONS),
                Long.toString(first + i).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                value));
      }
      producer.flush();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "produced %,d records of %d bytes in %.1f s (%.0f MiB/s)%n",
        records,
        RECORD_BYTES,
        seconds,
        records * (double) RECORD_BYTES / 1048576 / seconds);
  }

  private static void awaitCopied(ControllerApi api) throws Exception {
    long started = System.nanoTime();
    java.time.Instant since = java.time.Instant.now();
    long deadline = started + Duration.ofMinutes(10).toNanos();
    while (true) {
      JsonNode flow = api.get("/api/tenants/" + TENANT + "/lag").path("flows").path(0);
      String at = flow.path("measuredAt").asText("");
      if (!at.isEmpty()
          && java.time.Instant.parse(at).isAfter(since)
          && flow.path("lagRecords").asLong(-1) == 0) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("MM2 did not copy the tenant within 10 minutes");
      }
      Thread.sleep(500);
    }
    System.out.printf(
        Locale.ROOT, "copied by MM2 after %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  private static void report(long records, JsonNode full, JsonNode incremental) {
    double bytes = records * (double) RECORD_BYTES;
    double compareFull = stepSeconds(full, "verify-completeness");
    double compareIncremental = stepSeconds(incremental, "verify-completeness");
    double wallFull =
        Duration.between(
                    java.time.Instant.parse(full.path("createdAt").asText()),
                    java.time.Instant.parse(full.path("finishedAt").asText()))
                .toMillis()
            / 1000.0;
    double perSide = bytes / 1048576 / compareFull;
    JsonNode facts = incremental.path("facts");
    System.out.printf(
        Locale.ROOT,
        "%nfull drill: %,d records, %.0f MiB of values per side compared in %.1f s = %.1f MiB/s"
            + " per side (both sides read, %.1f MiB/s together); the whole drill %.1f s"
            + " (steps: %s)%n",
        records,
        bytes / 1048576,
        compareFull,
        perSide,
        2 * perSide,
        wallFull,
        steps(full));
    System.out.printf(
        Locale.ROOT,
        "incremental drill (1%% more records): compared in %.1f s, %.1f%% of the full drill's"
            + " comparison (offsets verified %s of %s)%n",
        compareIncremental,
        100 * compareIncremental / compareFull,
        facts.path("drillOffsetsVerified").asText("?"),
        facts.path("drillOffsetsUpToCut").asText("?"));
    System.out.printf(
        Locale.ROOT,
        "a 100 GiB tenant at this rate: %.1f minutes for its first drill (goal: 10)%n",
        100 * 1024 / perSide / 60);
  }

  private static double stepSeconds(JsonNode run, String step) {
    for (JsonNode s : run.path("steps")) {
      if (step.equals(s.path("name").asText())) {
        return s.path("millis").asLong() / 1000.0;
      }
    }
    throw new IllegalStateException("no step " + step + " in " + run.toPrettyString());
  }

  private static String steps(JsonNode run) {
    StringBuilder out = new StringBuilder();
    run.path("steps")
        .forEach(
            s ->
                out.append(s.path("name").asText())
                    .append(' ')
                    .append(s.path("millis").asLong())
                    .append(" ms, "));
    return out.length() > 2 ? out.substring(0, out.length() - 2) : "";
  }
}
