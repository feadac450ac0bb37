package dev.kafkadr.bench;

import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.sandbox.PluginDirectories;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.SandboxBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Replication benchmark on the sandbox, measured in one run: raw producer throughput to the
 * primary; catch-up of the same backlog by stock MirrorMaker 2, by our pipeline with MM2's client
 * settings, and by our pipeline with the settings we ship; and replication latency of a steady
 * trickle for each; the shipped pipeline once more exactly once (KIP-618), on a Connect group with
 * exactly-once source support. Copies are counted and read as a {@code read_committed} consumer
 * sees them. Printed side by side with ratios; medians over rounds after warm-up.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Raw producer vs stock MirrorMaker 2 vs kafka-dr's pipeline on the sandbox.")
public final class ReplicationBenchmark implements Callable<Integer> {

  @Option(
      names = "--records",
      defaultValue = "200000",
      description = "Backlog per pipeline per round.")
  int records;

  @Option(names = "--record-size", defaultValue = "1024", description = "Value size in bytes.")
  int recordSize;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions of each topic.")
  int partitions;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "Measured rounds; medians are reported.")
  int rounds;

  @Option(
      names = "--warmup-rounds",
      defaultValue = "1",
      description = "Rounds run first and not counted (JIT warm-up).")
  int warmupRounds;

  @Option(names = "--latency-rate", defaultValue = "200", description = "Trickle, records/s.")
  int latencyRate;

  @Option(
      names = "--latency-seconds",
      defaultValue = "10",
      description = "Trickle duration per pipeline.")
  int latencySeconds;

  @Option(
      names = "--pipelines",
      split = ",",
      description =
          "Pipelines to compare; stock MM2 is always included. Default: all of ${COMPLETION-CANDIDATES}.")
  List<Pipeline> pipelines = List.of(Pipeline.values());

  @Option(
      names = "--set",
      description =
          "key=value added to the shipped pipeline's connector config, for tuning"
              + " experiments (repeatable).")
  Map<String, String> overrides = new java.util.LinkedHashMap<>();

  @Option(
      names = "--secured",
      description =
          "Run on the sandbox's secured mode: every listener TLS, replication over mutual TLS as"
              + " its own principal, the producers and consumers of the workload too.")
  boolean secured;

  @Option(
      names = "--plugin-dir",
      description = "The connect-plugins plugin directory (default: found in the build tree).")
  Path pluginDir;

  /** Runs the benchmark and exits with its code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ReplicationBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!pipelines.contains(Pipeline.STOCK)) {
      List<Pipeline> withStock = new ArrayList<>(List.of(Pipeline.STOCK));
      withStock.addAll(pipelines);
      pipelines = withStock;
    }
    System.out.printf(
        "kafka-dr replication benchmark: %,d records x %d B, %d partitions, acks=all, %d rounds after %d warm-up, %s%n",
        records,
        recordSize,
        partitions,
        rounds,
        warmupRounds,
        secured ? "secured (TLS everywhere, mutual TLS)" : "plain text");
    Map<Pipeline, List<RoundResult>> results = new EnumMap<>(Pipeline.class);
    SandboxBuilder builder =
        Sandbox.builder()
            .name("bench")
            .dns(false)
            .exactlyOnceWorkers(pipelines.stream().anyMatch(Pipeline::exactlyOnce) ? 1 : 0)
            .pluginPath(pluginDir());
    if (secured) {
      builder.secured();
    }
    try (Sandbox sandbox = builder.start()) {
      System.out.println(sandbox.summary());
      System.out.println(header());
      for (int round = 1; round <= warmupRounds + rounds; round++) {
        boolean warmup = round <= warmupRounds;
        // Each round starts with a different pipeline, so none always runs on the warmest JVMs.
        List<Pipeline> order = new ArrayList<>(pipelines);
        java.util.Collections.rotate(order, -(round % order.size()));
        for (Pipeline pipeline : order) {
          RoundResult result = round(sandbox, round, pipeline);
          if (!warmup) {
            results.computeIfAbsent(pipeline, p -> new ArrayList<>()).add(result);
          }
          System.out.println(
              row(
                  (warmup ? "warm-up" : "round " + (round - warmupRounds)) + ", " + pipeline.label,
                  result));
        }
      }
    }
    System.out.println();
    Map<Pipeline, RoundResult> medians = new EnumMap<>(Pipeline.class);
    results.forEach((pipeline, list) -> medians.put(pipeline, median(list)));
    medians.forEach((pipeline, m) -> System.out.println(row("median, " + pipeline.label, m)));
    System.out.println();
    // The raw producer runs before every pipeline on the same workload; its rate varies more than
    // the pipelines do, so each ratio uses the median of all raw measurements after warm-up.
    double raw =
        Stats.median(
            results.values().stream()
                .flatMap(List::stream)
                .map(RoundResult::rawRecordsPerSec)
                .toList());
    System.out.printf(
        "raw producer, all %d measurements: median %.0f rec/s%n",
        results.values().stream().mapToInt(List::size).sum(), raw);
    for (Pipeline pipeline : medians.keySet()) {
      System.out.printf(
          "%-24s catch-up median %7.0f rec/s = %.2f x raw producer, %.3f x stock MM2%n",
          pipeline.label,
          medians.get(pipeline).catchUpRecordsPerSec(),
          medians.get(pipeline).catchUpRecordsPerSec() / raw,
          medians.get(pipeline).catchUpRecordsPerSec()
              / medians.get(Pipeline.STOCK).catchUpRecordsPerSec());
    }
    return 0;
  }

  private Path pluginDir() {
    return pluginDir != null ? pluginDir : PluginDirectories.inBuildTree(Path.of(""));
  }

  private RoundResult round(Sandbox sandbox, int round, Pipeline pipeline) throws Exception {
    String topic =
        "bench-r"
            + round
            + "-"
            + pipeline.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    sandbox.primary().createTopics(new NewTopic(topic, partitions, (short) 1));
    Workload workload = new Workload(sandbox, topic, partitions, recordSize);
    double raw = workload.produceBacklog(records);
    ConnectRestClient connect =
        pipeline.exactlyOnce()
            ? new ConnectRestClient(sandbox.exactlyOnceConnectRestUrl())
            : sandbox.connect();
    String connector = topic + "-source";
    long created = System.nanoTime();
    Map<String, String> config = pipeline.sourceConfig(sandbox, topic);
    if (pipeline == Pipeline.KDR_SHIPPED) {
      config.putAll(overrides);
    }
    connect.putConnector(connector, config);
    Workload.CatchUp catchUp = workload.awaitReplicated(records, created, Duration.ofMinutes(3));
    List<Double> latencies = workload.trickleLatencies(latencyRate, latencySeconds);
    connect.delete(connector);
    return new RoundResult(
        raw,
        catchUp.steadyRecordsPerSec(),
        catchUp.totalRecordsPerSec(),
        Stats.percentile(latencies, 50),
        Stats.percentile(latencies, 99),
        Stats.percentile(latencies, 100));
  }

  private static RoundResult median(List<RoundResult> results) {
    return new RoundResult(
        median(results, RoundResult::rawRecordsPerSec),
        median(results, RoundResult::catchUpRecordsPerSec),
        median(results, RoundResult::catchUpWithStartRecordsPerSec),
        median(results, RoundResult::latencyP50Ms),
        median(results, RoundResult::latencyP99Ms),
        median(results, RoundResult::latencyMaxMs));
  }

  private static double median(List<RoundResult> results, ToDoubleFunction<RoundResult> metric) {
    return Stats.median(results.stream().map(r -> metric.applyAsDouble(r)).toList());
  }

  private String header() {
    return String.format(
        "%n%-36s %22s %24s %18s %6s %20s",
        "round, pipeline",
        "raw producer",
        "catch-up",
        "incl. task start",
        "ratio",
        "latency p50/p99/max");
  }

  private String row(String label, RoundResult r) {
    double mib = recordSize / (1024.0 * 1024.0);
    return String.format(
        "%-36s %9.0f rec/s %5.1f MiB/s %9.0f rec/s %5.1f MiB/s %12.0f rec/s %6.2f %8.0f/%.0f/%.0f ms",
        label,
        r.rawRecordsPerSec(),
        r.rawRecordsPerSec() * mib,
        r.catchUpRecordsPerSec(),
        r.catchUpRecordsPerSec() * mib,
        r.catchUpWithStartRecordsPerSec(),
        r.ratio(),
        r.latencyP50Ms(),
        r.latencyP99Ms(),
        r.latencyMaxMs());
  }
}
