package dev.kafkadr.sandbox.demo;

import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.connect.ConnectRestClient;
import dev.kafkadr.sandbox.connect.ConnectorStatus;
import dev.kafkadr.sandbox.connect.MirrorFlow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: starts the sandbox, replicates the sample tenant {@code demo} from primary to
 * secondary with MirrorMaker 2, produces sample traffic (a backlog, then a steady stream) and
 * prints the replication lag every second until Ctrl-C or {@code --duration}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Replicate a sample tenant on the local two-region stack and watch its lag.")
public final class DemoCommand implements Callable<Integer> {

  private static final List<NewTopic> TOPICS =
      List.of(
          new NewTopic("demo.orders", 3, (short) 1), new NewTopic("demo.payments", 2, (short) 1));

  @Option(
      names = "--duration",
      defaultValue = "60s",
      description =
          "How long to run, e.g. 30s or 5m; 0 runs until Ctrl-C. Default: ${DEFAULT-VALUE}.")
  String duration;

  @Option(
      names = "--backlog",
      defaultValue = "100000",
      description = "Records produced before replication starts.")
  int backlog;

  @Option(names = "--rate", defaultValue = "1000", description = "Records per second afterwards.")
  int rate;

  @Override
  public Integer call() throws Exception {
    Duration runFor = parseDuration(duration);
    System.out.println(
        "kafka-dr demo: starting the local two-region stack (primary, secondary, Connect, DNS)...");
    try (Sandbox sandbox = Sandbox.builder().name("demo").start()) {
      System.out.println(sandbox.summary());
      try (Admin admin = Admin.create(sandbox.primary().adminConfig())) {
        admin.createTopics(TOPICS).all().get();
      }
      List<TopicPartition> partitions = partitions();
      try (SampleTraffic traffic =
          new SampleTraffic(sandbox.primary().bootstrapServers(), partitions)) {
        System.out.printf(
            "tenant demo: producing a backlog of %,d records to %s on primary...%n",
            backlog, TOPICS.stream().map(NewTopic::name).collect(Collectors.joining(", ")));
        traffic.produceBacklog(backlog);
        MirrorFlow flow =
            new MirrorFlow(
                Sandbox.PRIMARY,
                sandbox.primary().bootstrapServers(),
                Sandbox.SECONDARY,
                sandbox.secondary().bootstrapServers(),
                "demo\\..*",
                "demo-.*",
                1,
                Duration.ofSeconds(5));
        ConnectRestClient connect = sandbox.connect();
        flow.connectors().forEach(connect::putConnector);
        System.out.printf(
            "MirrorMaker 2 flow %s deployed (topics demo\\..* -> primary.demo.*); "
                + "then %,d records/s%n",
            flow.name(), rate);
        traffic.startSteady(rate);
        watch(sandbox, flow, connect, traffic, partitions, runFor);
      }
    }
    System.out.println("demo stopped; every sandbox process was stopped and its files removed.");
    return 0;
  }

  private static void watch(
      Sandbox sandbox,
      MirrorFlow flow,
      ConnectRestClient connect,
      SampleTraffic traffic,
      List<TopicPartition> partitions,
      Duration runFor)
      throws Exception {
    long start = System.nanoTime();
    try (LagProbe probe =
        new LagProbe(
            sandbox.primary().bootstrapServers(),
            sandbox.secondary().bootstrapServers(),
            Sandbox.PRIMARY)) {
      while (runFor.isZero() || System.nanoTime() - start < runFor.toNanos()) {
        List<LagProbe.PartitionLag> lags = probe.measure(partitions);
        long lag = lags.stream().mapToLong(LagProbe.PartitionLag::records).sum();
        long replicated = lags.stream().mapToLong(LagProbe.PartitionLag::targetEnd).sum();
        long oldest = lags.stream().mapToLong(LagProbe.PartitionLag::ageMillis).max().orElse(0);
        String perPartition =
            lags.stream()
                .filter(l -> l.records() > 0)
                .map(
                    l ->
                        l.source().topic().substring(5)
                            + "-"
                            + l.source().partition()
                            + ":"
                            + l.records())
                .collect(Collectors.joining(" "));
        System.out.printf(
            "[%4ds] produced %,9d  replicated %,9d  lag %,8d records, oldest %5.1f s  %-8s %s%n",
            (System.nanoTime() - start) / 1_000_000_000L,
            traffic.acked(),
            replicated,
            lag,
            oldest / 1000.0,
            state(connect, flow.sourceConnector()),
            perPartition);
        Thread.sleep(1000);
      }
    }
  }

  private static String state(ConnectRestClient connect, String connector) {
    try {
      ConnectorStatus status = connect.status(connector);
      return status.isRunning() ? "RUNNING" : status.state();
    } catch (RuntimeException e) {
      return "starting";
    }
  }

  private static List<TopicPartition> partitions() {
    List<TopicPartition> out = new ArrayList<>();
    for (NewTopic topic : TOPICS) {
      for (int p = 0; p < topic.numPartitions(); p++) {
        out.add(new TopicPartition(topic.name(), p));
      }
    }
    return out;
  }

  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    Map<String, Long> units = Map.of("ms", 1L, "s", 1000L, "m", 60_000L, "h", 3_600_000L);
    for (String unit : List.of("ms", "s", "m", "h")) {
      if (t.endsWith(unit) && t.substring(0, t.length() - unit.length()).matches("\\d+")) {
        return Duration.ofMillis(
            Long.parseLong(t.substring(0, t.length() - unit.length())) * units.get(unit));
      }
    }
    if (t.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(new DemoCommand()),
        "--duration: \"" + text + "\" is not a duration such as 90s, 5m or 0");
  }
}
