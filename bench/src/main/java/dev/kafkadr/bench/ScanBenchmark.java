package dev.kafkadr.bench;

import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.LagScanner;
import dev.kafkadr.controller.lag.Scan;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.tenant.Provenance;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What one lag scan of the failover controller costs as the work grows: tenants of 100, 1,000 and
 * 10,000 partitions (tiny topics: one record each), the largest with 1,000 consumer groups, on the
 * sandbox. The copies on the target are written directly, with the provenance header kafka-dr's
 * connector stamps, so that the measurement is the scan alone. Prints the median time per scan and
 * the admin requests per scan for each size.
 */
@Command(
    name = "scan-bench",
    mixinStandardHelpOptions = true,
    description = "Cost of one controller lag scan at 100, 1,000 and 10,000 partitions.")
public final class ScanBenchmark implements Callable<Integer> {

  @Option(names = "--scans", defaultValue = "5", description = "Measured scans per size.")
  int scans;

  @Option(names = "--groups", defaultValue = "1000", description = "Groups of the largest tenant.")
  int groups;

  private static final int[][] SIZES = {{10, 10}, {10, 100}, {100, 100}};

  @Override
  public Integer call() throws Exception {
    try (Sandbox sandbox =
        Sandbox.builder().dns(false).connectWorkers(0).brokerHeap("1g").start()) {
      System.out.println(sandbox.summary());
      List<String> rows = new ArrayList<>();
      rows.add(
          String.format(
              Locale.ROOT,
              "%-12s %8s %10s %7s %14s %14s %16s",
              "partitions",
              "groups",
              "first ms",
              "scans",
              "median ms",
              "max ms",
              "admin requests"));
      for (int[] size : SIZES) {
        int partitions = size[0] * size[1];
        String prefix = "s" + partitions;
        int sizeGroups = partitions == 10_000 ? groups : 0;
        long t0 = System.nanoTime();
        prepare(sandbox, prefix, size[0], size[1], sizeGroups);
        System.out.printf(
            "prepared %,d partitions (source and copy) and %d groups in %.1f s%n",
            partitions, sizeGroups, (System.nanoTime() - t0) / 1e9);
        TenantsFile file = TenantsFileParser.parse(tenantsFile(sandbox, prefix), prefix + ".yaml");
        List<Long> millis = new ArrayList<>();
        long firstMillis;
        int requests = 0;
        try (LagScanner scanner =
            new LagScanner(
                file,
                0.5,
                500,
                dev.kafkadr.config.connect.ConnectEndpoints.open(Map.of()),
                Duration.ofSeconds(10),
                Clock.systemUTC())) {
          // The first scan reads every copy's newest record; later ones only copies that moved.
          Scan first = scanner.scan();
          check(first, partitions, sizeGroups);
          firstMillis = first.took().toMillis();
          for (int i = 0; i < scans; i++) {
            Scan scan = scanner.scan();
            check(scan, partitions, sizeGroups);
            millis.add(scan.took().toMillis());
            requests = scan.adminRequests();
          }
        }
        millis.sort(null);
        System.out.printf(
            "%,d partitions: median %d ms per scan, %d admin requests%n",
            partitions, millis.get(millis.size() / 2), requests);
        rows.add(
            String.format(
                Locale.ROOT,
                "%-12s %8d %10d %7d %14d %14d %16d",
                String.format(Locale.ROOT, "%,d", partitions),
                sizeGroups,
                firstMillis,
                scans,
                millis.get(millis.size() / 2),
                millis.get(millis.size() - 1),
                requests));
      }
      System.out.println();
      rows.forEach(System.out::println);
    }
    return 0;
  }

  /** A scan must have measured every partition, with no lag, and seen every group. */
  private static void check(Scan scan, int partitions, int groups) {
    FlowLag flow = scan.flows().get(0);
    if (flow.problem() != null
        || flow.partitions().size() != partitions
        || flow.lagRecords() != 0
        || flow.groups().size() != groups) {
      throw new IllegalStateException(
          "scan measured "
              + flow.partitions().size()
              + " partitions, lag "
              + flow.lagRecords()
              + ", "
              + flow.groups().size()
              + " group partitions: "
              + flow.problem());
    }
  }

  private static void prepare(
      Sandbox sandbox, String prefix, int topics, int partitionsEach, int groups) throws Exception {
    List<NewTopic> source = new ArrayList<>();
    List<NewTopic> copies = new ArrayList<>();
    for (int t = 0; t < topics; t++) {
      source.add(new NewTopic(prefix + ".t" + t, partitionsEach, (short) 1));
      copies.add(new NewTopic("primary." + prefix + ".t" + t, partitionsEach, (short) 1));
    }
    // KRaft refuses a request that creates more than 10,000 records: 2,000 partitions at a time.
    int chunk = Math.max(1, 2_000 / partitionsEach);
    for (int i = 0; i < topics; i += chunk) {
      int end = Math.min(topics, i + chunk);
      sandbox.primary().createTopics(source.subList(i, end).toArray(NewTopic[]::new));
      sandbox.secondary().createTopics(copies.subList(i, end).toArray(NewTopic[]::new));
    }
    byte[] value = "v".getBytes(StandardCharsets.UTF_8);
    try (var primary = producer(sandbox.primary().bootstrapServers());
        var secondary = producer(sandbox.secondary().bootstrapServers())) {
      List<Future<?>> sent = new ArrayList<>();
      for (int t = 0; t < topics; t++) {
        for (int p = 0; p < partitionsEach; p++) {
          long ts = System.currentTimeMillis();
          sent.add(primary.send(new ProducerRecord<>(prefix + ".t" + t, p, ts, null, value)));
          ProducerRecord<byte[], byte[]> copy =
              new ProducerRecord<>("primary." + prefix + ".t" + t, p, ts, null, value);
          copy.headers()
              .add(Provenance.DEFAULT_HEADER, new Provenance(1, 0, ts, "primary").toBytes());
          sent.add(secondary.send(copy));
        }
      }
      for (Future<?> f : sent) {
        f.get();
      }
    }
    if (groups > 0) {
      try (Admin admin = Admin.create(sandbox.primary().adminConfig())) {
        List<Future<?>> done = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
          Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
          offsets.put(
              new TopicPartition(prefix + ".t" + (g % topics), g % partitionsEach),
              new OffsetAndMetadata(1));
          done.add(
              admin
                  .alterConsumerGroupOffsets(prefix + "-g" + g, offsets)
                  .all()
                  .toCompletionStage()
                  .toCompletableFuture());
        }
        for (Future<?> f : done) {
          f.get();
        }
      }
    }
  }

  private static String tenantsFile(Sandbox sandbox, String prefix) {
    return String.join(
        "\n",
        sandbox.tenantsFileClusters().stripTrailing(),
        "flows:",
        "  - {source: primary, target: secondary, tenants: [" + prefix + "]}",
        "tenants:",
        "  - id: " + prefix,
        "    topics: {include: [\"" + prefix + "\\\\..*\"]}",
        "    groups: {include: [\"" + prefix + "-g.*\"]}",
        "    rpo: 30s",
        "    rto: 5m",
        "");
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", bootstrap, "linger.ms", 20, "batch.size", 65536),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** Runs the benchmark. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ScanBenchmark()).execute(args));
  }
}
