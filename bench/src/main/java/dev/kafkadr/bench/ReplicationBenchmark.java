package dev.kafkadr.bench;

import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.connect.ConnectRestClient;
import dev.kafkadr.sandbox.connect.MirrorFlow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Baseline benchmark on the sandbox, measured in one run: (a) raw producer throughput to the
 * primary, (b) stock MirrorMaker 2 catch-up of the same backlog primary to secondary, (c)
 * replication latency of a steady trickle; printed side by side with their ratio.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Raw producer vs stock MirrorMaker 2 on the sandbox.")
public final class ReplicationBenchmark implements Callable<Integer> {

  @Option(names = "--records", defaultValue = "200000", description = "Backlog size per round.")
  int records;

  @Option(names = "--record-size", defaultValue = "1024", description = "Value size in bytes.")
  int recordSize;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the topic.")
  int partitions;

  @Option(names = "--rounds", defaultValue = "3", description = "Rounds; medians are reported.")
  int rounds;

  @Option(
      names = "--warmup-rounds",
      defaultValue = "2",
      description = "Rounds run first and not counted (JIT warm-up of brokers and Connect).")
  int warmupRounds;

  @Option(names = "--latency-rate", defaultValue = "200", description = "Trickle, records/s.")
  int latencyRate;

  @Option(names = "--latency-seconds", defaultValue = "15", description = "Trickle duration.")
  int latencySeconds;

  /** Runs the benchmark and exits with its code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ReplicationBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    System.out.printf(
        "kafka-dr replication benchmark: %,d records x %d B, %d partitions, acks=all,"
            + " %d rounds after %d warm-up%n",
        records, recordSize, partitions, rounds, warmupRounds);
    List<RoundResult> results = new ArrayList<>();
    try (Sandbox sandbox = Sandbox.builder().name("bench").dns(false).start()) {
      System.out.println(sandbox.summary());
      System.out.println(header());
      for (int round = 1; round <= warmupRounds + rounds; round++) {
        RoundResult result = round(sandbox, round);
        boolean warmup = round <= warmupRounds;
        if (!warmup) {
          results.add(result);
        }
        System.out.println(
            row(warmup ? "warm-up" : Integer.toString(round - warmupRounds), result));
      }
    }
    RoundResult median =
        new RoundResult(
            median(results, RoundResult::rawRecordsPerSec),
            median(results, RoundResult::catchUpRecordsPerSec),
            median(results, RoundResult::catchUpWithStartRecordsPerSec),
            median(results, RoundResult::latencyP50Ms),
            median(results, RoundResult::latencyP99Ms),
            median(results, RoundResult::latencyMaxMs));
    System.out.println(row("median", median));
    System.out.printf(
        "%nratio MM2 catch-up / raw producer: median %.2f (per round: %s)%n",
        Stats.median(results.stream().map(RoundResult::ratio).toList()),
        results.stream().map(r -> String.format("%.2f", r.ratio())).toList());
    return 0;
  }

  private RoundResult round(Sandbox sandbox, int round) throws Exception {
    String topic = "bench-r" + round;
    try (Admin admin = Admin.create(sandbox.primary().adminConfig())) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
    Workload workload = new Workload(sandbox, topic, partitions, recordSize);
    double raw = workload.produceBacklog(records);
    MirrorFlow flow =
        new MirrorFlow(
            Sandbox.PRIMARY,
            sandbox.primary().bootstrapServers(),
            Sandbox.SECONDARY,
            sandbox.secondary().bootstrapServers(),
            topic,
            "none",
            1,
            null);
    ConnectRestClient connect = sandbox.connect();
    String connector = "bench-source-r" + round;
    long created = System.nanoTime();
    connect.putConnector(connector, flow.config(MirrorFlow.SOURCE));
    Workload.CatchUp catchUp = workload.awaitReplicated(records, created, Duration.ofMinutes(10));
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

  private static double median(List<RoundResult> results, ToDoubleFunction<RoundResult> metric) {
    return Stats.median(results.stream().map(r -> metric.applyAsDouble(r)).toList());
  }

  private String header() {
    return String.format(
        "%n%-7s %22s %24s %20s %6s %22s",
        "round",
        "raw producer",
        "MM2 catch-up",
        "incl. task start",
        "ratio",
        "latency p50/p99/max");
  }

  private String row(String label, RoundResult r) {
    double mib = recordSize / (1024.0 * 1024.0);
    return String.format(
        "%-7s %9.0f rec/s %5.1f MiB/s %9.0f rec/s %5.1f MiB/s %12.0f rec/s %6.2f %8.0f/%.0f/%.0f ms",
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
