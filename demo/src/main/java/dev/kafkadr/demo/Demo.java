package dev.kafkadr.demo;

import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectorStatus;
import dev.kafkadr.sandbox.PluginDirectories;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.TenantUsers;
import dev.kafkadr.sandbox.apps.SecuredTenantFile;
import dev.kafkadr.sandbox.kafka.ClusterSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The kafka-dr demo: starts the local two-region stack, replicates tenant {@code demo} from primary
 * to secondary with kafka-dr's Connect plugins on MirrorMaker 2, produces sample traffic (a
 * backlog, then a steady stream) and prints the replication lag every second for {@code
 * --duration}; then, with the failover controller, switches the tenant over to secondary and back
 * while its application keeps producing and consuming, and prints the RPO and RTO achieved. A
 * neighbouring tenant's topic sits on the same cluster and is never replicated.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Replicate a sample tenant on the local two-region stack and watch its lag.")
public final class Demo implements Callable<Integer> {

  private static final List<NewTopic> TOPICS =
      List.of(
          new NewTopic("demo.orders", 3, (short) 1), new NewTopic("demo.payments", 2, (short) 1));
  private static final NewTopic NEIGHBOUR = new NewTopic("demo-eu.orders", 1, (short) 1);

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

  @Option(
      names = "--switchover",
      negatable = true,
      defaultValue = "true",
      description =
          "After replicating, switch the tenant over to secondary and back with the failover"
              + " controller, and print the RPO and RTO achieved. Default: ${DEFAULT-VALUE}.")
  boolean switchover;

  @Option(
      names = "--keep",
      description =
          "After the switchover act, keep the stack and the controller up (the DR console's URL"
              + " and a login file are printed) until Ctrl-C.")
  boolean keep;

  @Option(
      names = "--plugin-dir",
      description = "kafka-dr's Connect plugin directory (default: from the build tree).")
  Path pluginDir;

  /** Runs the demo and exits with its code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Demo()).execute(args));
  }

  /** The demo's users' password: random, never printed. */
  private final String password = java.util.UUID.randomUUID().toString();

  @Override
  public Integer call() throws Exception {
    Duration runFor = parseDuration(duration);
    if (keep && !switchover) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--keep keeps the controller of the switchover act up: it cannot go with"
              + " --no-switchover");
    }
    Path plugins = pluginDir != null ? pluginDir : PluginDirectories.inBuildTree(Path.of(""));
    System.out.println(
        "kafka-dr demo: starting the local two-region stack (primary, secondary, Connect, DNS),"
            + " secured: every Kafka listener TLS, replication and the controller each their own"
            + " principal...");
    Thread farewell =
        new Thread(
            () -> System.out.println("stopping: every sandbox process by PID, then its files..."));
    Runtime.getRuntime().addShutdownHook(farewell);
    try (Sandbox sandbox = Sandbox.builder().name("demo").secured().pluginPath(plugins).start()) {
      System.out.println(sandbox.summary());
      // The drill fails back, so replication writes to primary too: its principal gets the rights
      // of a target there as well, not only those of a source (README, "Secured mode").
      sandbox.primary().grantPrincipals(true);
      List<NewTopic> all = new ArrayList<>(TOPICS);
      all.add(NEIGHBOUR);
      all.add(Switchover.CHECKOUT);
      sandbox.primary().createTopics(all, Duration.ofSeconds(60));
      List<TopicPartition> partitions = partitions();
      try (SampleTraffic traffic =
          new SampleTraffic(
              new java.util.HashMap<>(sandbox.primary().clientConfig(ClusterSecurity.ADMIN)),
              partitions)) {
        System.out.printf(
            "tenant demo: producing a backlog of %,d records to %s on primary"
                + " (and one to tenant demo-eu's %s)...%n",
            backlog,
            TOPICS.stream().map(NewTopic::name).collect(Collectors.joining(", ")),
            NEIGHBOUR.name());
        traffic.produceBacklog(backlog);
        traffic.produceOne(NEIGHBOUR.name());
        Path dir = Files.createTempDirectory("kdr-demo");
        TenantsFile tenants = tenantsFile(sandbox, dir);
        TenantUsers.create(sandbox, tenants, password);
        ConnectRestClient connect = sandbox.connect();
        // Deployed without waiting, so that the lag is seen shrinking from the whole backlog.
        ConnectConfigs.render(tenants).forEach(connect::putConnector);
        String flow = "demo." + Sandbox.PRIMARY + "-to-" + Sandbox.SECONDARY;
        System.out.printf(
            "kafka-dr flow %s deployed on MirrorMaker 2 from the tenants file (demo.* -> demo.* on"
                + " secondary, identical names, provenance headers; demo-eu.* is another tenant's"
                + " and stays put); then %,d records/s%n",
            flow, rate);
        traffic.startSteady(rate);
        watch(sandbox, flow, connect, traffic, partitions, runFor);
        traffic.stop();
        if (switchover) {
          new Switchover(sandbox, dir, password, keep).run();
        }
      }
    }
    Runtime.getRuntime().removeShutdownHook(farewell);
    System.out.println("demo stopped; every sandbox process was stopped and its files removed.");
    return 0;
  }

  /**
   * The demo tenant in a tenants file: identical names, its application's SCRAM users (producer and
   * consumer) for fencing, applications on the sandbox's secured listener.
   */
  static TenantsFile tenantsFile(Sandbox sandbox, Path dir) throws Exception {
    return TenantsFileParser.parse(
        SecuredTenantFile.write(
            sandbox,
            dir.resolve("tenants.yaml"),
            "demo",
            Switchover.PRODUCER,
            Switchover.CONSUMER));
  }

  private static void watch(
      Sandbox sandbox,
      String flow,
      ConnectRestClient connect,
      SampleTraffic traffic,
      List<TopicPartition> partitions,
      Duration runFor)
      throws Exception {
    long start = System.nanoTime();
    boolean shownSample = false;
    try (LagProbe probe =
        new LagProbe(sandbox.primary().adminConfig(), sandbox.secondary().adminConfig(), "")) {
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
            state(connect, flow + ".source"),
            perPartition);
        if (!shownSample && replicated > 0) {
          shownSample =
              probe
                  .describeFirstReplicated("demo.orders")
                  .map(
                      s -> {
                        System.out.println("         first record on secondary: " + s);
                        return true;
                      })
                  .orElse(false);
        }
        Thread.sleep(1000);
      }
      System.out.println(
          "         tenant demo-eu's topic on secondary: "
              + (probe.targetHasTopic(NEIGHBOUR.name())
                  ? "REPLICATED (isolation broken)"
                  : "absent, as it must be"));
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
    String t = text.trim().toLowerCase(Locale.ROOT);
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
    throw new CommandLine.ParameterException(
        new CommandLine(new Demo()),
        "--duration: \"" + text + "\" is not a duration such as 90s, 5m or 0");
  }
}
