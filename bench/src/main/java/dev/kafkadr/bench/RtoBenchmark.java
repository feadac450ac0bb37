package dev.kafkadr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkadr.client.Registry;
import dev.kafkadr.client.RegistryWatcher;
import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.sandbox.PluginDirectories;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.TenantUsers;
import dev.kafkadr.sandbox.apps.SecuredTenantFile;
import dev.kafkadr.sandbox.process.ControllerProcess;
import dev.kafkadr.testkit.apps.TenantLoad;
import dev.kafkadr.testkit.controller.ControllerApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The recovery time of the failover controller's workflows on the sandbox: rounds of a planned
 * switchover to secondary and a failback home, each while the tenant's application produces and
 * consumes through the client helper (a fresh application per workflow, checked for loss, re-reads
 * and order), then one unplanned failover with the primary's broker killed. The packaged controller
 * runs as a child JVM, as in production. Prints, per workflow, trigger -> traffic switched, ->
 * first record produced on the new cluster, -> every step done, and the medians of each with the
 * median time of every step.
 */
@Command(
    name = "rto-bench",
    mixinStandardHelpOptions = true,
    description = "RTO of switchover, failback and failover on the sandbox, with every step.")
public final class RtoBenchmark implements Callable<Integer> {

  private static final String TENANT = "bench";
  private static final NewTopic TOPIC = new NewTopic("bench.orders", 2, (short) 1);
  private static final String OPERATOR = "bench-operator";
  private static final String CLIENT = "bench-client";
  private static final String PRODUCER = "bench-producer";
  private static final String CONSUMER = "bench-consumer";

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description = "Switchover + failback rounds. Default: ${DEFAULT-VALUE}.")
  int rounds;

  @Option(
      names = "--failover",
      negatable = true,
      defaultValue = "true",
      description = "End with an unplanned failover (primary killed). Default: ${DEFAULT-VALUE}.")
  boolean failover;

  @Option(
      names = "--plugin-dir",
      description = "The connect-plugins plugin directory (default: found in the build tree).")
  Path pluginDir;

  private final String password = java.util.UUID.randomUUID().toString();
  private ControllerApi api;
  private final Map<String, List<Run>> runs = new LinkedHashMap<>();
  private ControllerProcess controller;
  private dev.kafkadr.sandbox.etcd.EtcdCluster etcd;
  private String label = "";

  @Option(
      names = "--stores",
      defaultValue = "local",
      split = ",",
      description =
          "The controller's state stores, in turn in the same sandbox: local, etcd or both."
              + " Default: ${DEFAULT-VALUE}.")
  List<String> stores;

  /** Runs the benchmark and exits with its code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new RtoBenchmark()).execute(args));
  }

  /**
   * One workflow measured.
   *
   * @param switchedMillis trigger -> traffic switched (registry and DNS)
   * @param producedMillis trigger -> first record acknowledged by the new cluster, -1 if not
   *     measured
   * @param doneMillis trigger -> every step done
   * @param steps each step's time
   */
  record Run(long switchedMillis, long producedMillis, long doneMillis, Map<String, Long> steps) {}

  @Override
  public Integer call() throws Exception {
    if (rounds < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--rounds: must be at least 1, was " + rounds);
    }
    Path plugins = pluginDir != null ? pluginDir : PluginDirectories.inBuildTree(Path.of(""));
    Path dir = Files.createTempDirectory("kdr-rto-bench");
    try (Sandbox sandbox =
        Sandbox.builder().name("rto-bench").dns(false).pluginPath(plugins).start()) {
      System.out.println(sandbox.summary());
      sandbox.primary().createTopics(List.of(TOPIC), Duration.ofSeconds(60));
      TenantsFile tenants =
          TenantsFileParser.parse(
              SecuredTenantFile.write(
                  sandbox, dir.resolve("tenants.yaml"), TENANT, PRODUCER, CONSUMER));
      TenantUsers.create(sandbox, tenants, password);
      ConnectConfigs.render(tenants).forEach(sandbox.connect()::putConnector);
      for (int i = 0; i < stores.size(); i++) {
        boolean last = i == stores.size() - 1;
        runOn(stores.get(i), sandbox, dir.resolve(stores.get(i)), last && failover);
      }
    } catch (Exception e) {
      System.err.println("the controller's log and journal are kept in " + dir);
      throw e;
    } finally {
      if (etcd != null) {
        etcd.close();
      }
    }
    dev.kafkadr.sandbox.process.Io.deleteTree(dir);
    report();
    return 0;
  }

  /**
   * The rounds with the controller on {@code store} ({@code local} or {@code etcd}, three members
   * started once), then the failover when {@code withFailover}.
   */
  private void runOn(String store, Sandbox sandbox, Path dir, boolean withFailover)
      throws Exception {
    Files.createDirectories(dir);
    java.nio.file.Files.copy(
        dir.getParent().resolve("tenants.yaml"),
        dir.resolve("tenants.yaml"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Map<String, String> config =
        new HashMap<>(
            ControllerProcess.sandboxConfig(
                sandbox, dir, Map.of(OPERATOR, "operator", CLIENT, "client"), password));
    if ("etcd".equals(store)) {
      if (etcd == null) {
        etcd =
            dev.kafkadr.sandbox.etcd.EtcdCluster.start(
                dir.resolve("etcd"),
                dev.kafkadr.sandbox.etcd.EtcdCluster.DEFAULT_MEMBERS,
                Duration.ofSeconds(30));
      }
      config.put("kdr.store.type", "etcd");
      config.put("kdr.store.etcd.endpoints", etcd.endpointList());
    } else if (!"local".equals(store)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--stores: \"" + store + "\" is not local or etcd");
    }
    label = stores.size() > 1 ? " [" + store + "]" : "";
    controller =
        new ControllerProcess(
            ControllerProcess.inBuildTree(), config, dir.resolve("controller.log"));
    api = new ControllerApi(controller.url(), controller.tls(), OPERATOR, password);
    try {
      Registry registry = controller.registry(dir.resolve("client-cache"), CLIENT, password);
      try (RegistryWatcher watcher =
          new RegistryWatcher(registry, TENANT, Duration.ofMillis(200))) {
        for (int round = 1; round <= rounds; round++) {
          underLoad(sandbox, watcher, round, "switchover", Sandbox.SECONDARY);
          underLoad(sandbox, watcher, round, "failback", Sandbox.PRIMARY);
        }
        if (withFailover) {
          failover(sandbox);
        }
      }
    } finally {
      controller.close();
    }
  }

  /** One workflow while a fresh application produces and consumes; fails on any loss. */
  private void underLoad(
      Sandbox sandbox, RegistryWatcher watcher, int round, String kind, String to)
      throws Exception {
    try (TenantLoad load =
        new TenantLoad(
            watcher,
            TOPIC.name(),
            "bench-app",
            to,
            client(sandbox, PRODUCER),
            client(sandbox, CONSUMER))) {
      Waits.until(() -> load.sent() >= 200, Duration.ofSeconds(120), "the application's first 200");
      Instant trigger = Instant.now();
      JsonNode done = runWorkflow(kind);
      Waits.until(() -> load.firstProduced() != null, Duration.ofSeconds(60), "a produce on " + to);
      int atEnd = load.sent();
      Waits.until(() -> load.sent() >= atEnd + 200, Duration.ofSeconds(60), "200 more records");
      load.finish();
      var verdict = load.verdict();
      if (load.failure() != null
          || !verdict.safe()
          || verdict.readTwice() != 0
          || verdict.others() != 0) {
        throw new IllegalStateException(kind + " round " + round + ": " + load.summary());
      }
      Run run = run(done, Duration.between(trigger, load.firstProduced()).toMillis());
      runs.computeIfAbsent(kind + label, k -> new ArrayList<>()).add(run);
      System.out.printf(
          Locale.ROOT,
          "round %d %-10s -> %-9s traffic switched %5d ms, first produce %5d ms, every step %5d"
              + " ms; %s%n",
          round,
          kind + label,
          to,
          run.switchedMillis(),
          run.producedMillis(),
          run.doneMillis(),
          load.summary());
    }
  }

  /** The primary's broker killed with records not yet copied; then a failover. */
  private void failover(Sandbox sandbox) throws Exception {
    Waits.until(
        () -> {
          JsonNode flow = api.get("/api/tenants/" + TENANT + "/lag").path("flows").path(0);
          return "primary".equals(flow.path("source").asText())
              && flow.path("lagRecords").asLong(-1) == 0;
        },
        Duration.ofSeconds(60),
        "the flow to be measured caught up");
    for (var node : sandbox.primary().nodes()) {
      sandbox.kill(node.role());
    }
    JsonNode done = runWorkflow("failover");
    Run run = run(done, -1);
    runs.computeIfAbsent("failover" + label, k -> new ArrayList<>()).add(run);
    System.out.printf(
        Locale.ROOT,
        "failover   -> secondary traffic switched %5d ms, every step %5d ms; data at risk %s"
            + " records%n",
        run.switchedMillis(),
        run.doneMillis(),
        done.path("facts").path("dataAtRisk").asText());
  }

  private Run run(JsonNode done, long producedMillis) {
    Map<String, Long> steps = new LinkedHashMap<>();
    done.path("steps").forEach(s -> steps.put(s.path("name").asText(), s.path("millis").asLong()));
    steps.remove("created");
    JsonNode facts = done.path("facts");
    return new Run(
        facts.path("trafficSwitchedMillis").asLong(-1),
        producedMillis,
        facts.path("rtoMillis").asLong(-1),
        steps);
  }

  /** Starts a workflow of the tenant over the REST API, as an operator; waits for its end. */
  private JsonNode runWorkflow(String kind) throws Exception {
    return api.runWorkflow(TENANT, kind);
  }

  /** Medians per workflow kind, then the median time of every step. */
  private void report() {
    System.out.printf(
        "%nmedians over %d round(s)          traffic switched  first produce  every step%n",
        rounds);
    runs.forEach(
        (kind, list) ->
            System.out.printf(
                Locale.ROOT,
                "%-32s %13.0f ms %11s ms %8.0f ms%n",
                kind + " (" + list.size() + ")",
                Stats.median(list.stream().map(Run::switchedMillis).toList()),
                list.get(0).producedMillis() < 0
                    ? "-"
                    : String.format(
                        Locale.ROOT,
                        "%.0f",
                        Stats.median(list.stream().map(Run::producedMillis).toList())),
                Stats.median(list.stream().map(Run::doneMillis).toList())));
    for (String kind : List.of("switchover", "failback")) {
      List<Run> local = runs.get(kind + " [local]");
      List<Run> onEtcd = runs.get(kind + " [etcd]");
      if (local != null && onEtcd != null) {
        System.out.printf(
            Locale.ROOT,
            "%-10s on etcd / on local: traffic switched %.2f, every step %.2f%n",
            kind,
            Stats.median(onEtcd.stream().map(Run::switchedMillis).toList())
                / Stats.median(local.stream().map(Run::switchedMillis).toList()),
            Stats.median(onEtcd.stream().map(Run::doneMillis).toList())
                / Stats.median(local.stream().map(Run::doneMillis).toList()));
      }
    }
    System.out.println("\nmedian ms per step");
    runs.forEach(
        (kind, list) -> {
          StringBuilder line = new StringBuilder(String.format("%-11s", kind));
          list.get(0)
              .steps()
              .keySet()
              .forEach(
                  step ->
                      line.append(
                          String.format(
                              Locale.ROOT,
                              " %s %.0f,",
                              step,
                              Stats.median(
                                  list.stream()
                                      .map(r -> r.steps().getOrDefault(step, 0L))
                                      .toList()))));
          System.out.println(line.substring(0, line.length() - 1));
        });
  }

  private Map<String, Object> client(Sandbox sandbox, String user) {
    Map<String, Object> c = new HashMap<>(sandbox.primary().tenantClientConfig(user, password));
    c.remove("bootstrap.servers");
    return c;
  }
}
