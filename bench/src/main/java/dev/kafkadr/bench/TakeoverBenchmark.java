package dev.kafkadr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.sandbox.PluginDirectories;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.TenantUsers;
import dev.kafkadr.sandbox.apps.SecuredTenantFile;
import dev.kafkadr.sandbox.etcd.EtcdCluster;
import dev.kafkadr.sandbox.process.ControllerProcess;
import dev.kafkadr.sandbox.process.FreePorts;
import dev.kafkadr.testkit.controller.ControllerApi;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long the controller takes to carry on after losing its leader: two packaged replicas on a
 * three-member etcd store, a switchover (or failback) started on the leader, the leader SIGKILLed
 * once four steps are done; measured from the kill to the other replica leading, and to the
 * workflow's first journal entry written by it (the workflow resumed), then the workflow waited to
 * its end. Two cases, each over {@code --rounds}: the etcd leader survives (another member leads
 * etcd), and the lost region held etcd's leader too (its member killed with the controller, so etcd
 * elects a leader first). The killed processes are started again between rounds.
 */
@Command(
    name = "takeover-bench",
    mixinStandardHelpOptions = true,
    description = "Controller takeover after its leader is killed, on etcd, two cases.")
public final class TakeoverBenchmark implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TENANT = "bench";
  private static final String OPERATOR = "bench-operator";
  private static final String PREFIX = "/kdr-bench/";
  private static final List<String> REPLICAS = List.of("replica-a", "replica-b");

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description = "Rounds per case. Default: ${DEFAULT-VALUE}.")
  int rounds;

  @Option(
      names = "--plugin-dir",
      description = "The connect-plugins plugin directory (default: found in the build tree).")
  Path pluginDir;

  private final String password = java.util.UUID.randomUUID().toString();
  private final Map<String, ControllerProcess> replicas = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> configs = new HashMap<>();
  private final Map<String, Integer> ports = new HashMap<>();
  private final Map<String, List<long[]>> results = new LinkedHashMap<>();
  private EtcdCluster etcd;
  private Client client;
  private Path dir;

  /** Runs the benchmark and exits with its code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new TakeoverBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (rounds < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--rounds: must be at least 1, was " + rounds);
    }
    Path plugins = pluginDir != null ? pluginDir : PluginDirectories.inBuildTree(Path.of(""));
    dir = Files.createTempDirectory("kdr-takeover-bench");
    try (Sandbox sandbox =
        Sandbox.builder().name("takeover-bench").dns(false).pluginPath(plugins).start()) {
      sandbox
          .primary()
          .createTopics(
              List.of(new NewTopic("bench.orders", 2, (short) 1)), Duration.ofSeconds(60));
      TenantsFile tenants =
          TenantsFileParser.parse(
              SecuredTenantFile.write(sandbox, dir.resolve("tenants.yaml"), TENANT, "bp", "bc"));
      TenantUsers.create(sandbox, tenants, password);
      ConnectConfigs.render(tenants).forEach(sandbox.connect()::putConnector);
      etcd =
          EtcdCluster.start(
              dir.resolve("etcd"), EtcdCluster.DEFAULT_MEMBERS, Duration.ofSeconds(30));
      client = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
      try {
        Map<String, String> base =
            ControllerProcess.sandboxConfig(sandbox, dir, Map.of(OPERATOR, "operator"), password);
        List<Integer> free = FreePorts.allocate(REPLICAS.size(), false);
        for (String replica : REPLICAS) {
          int port = free.get(ports.size());
          ports.put(replica, port);
          Map<String, String> mine = new HashMap<>(base);
          mine.put("kdr.workflow.journal-dir", dir.resolve(replica).toString());
          mine.put("kdr.store.type", "etcd");
          mine.put("kdr.store.etcd.endpoints", etcd.endpointList());
          mine.put("kdr.store.etcd.prefix", PREFIX);
          mine.put("kdr.store.etcd.replica-id", replica);
          mine.put("kdr.store.etcd.advertised-url", "https://127.0.0.1:" + port);
          configs.put(replica, mine);
        }
        Map<String, ControllerProcess.Launch> launches = new java.util.LinkedHashMap<>();
        REPLICAS.forEach(r -> launches.put(r, () -> launch(r)));
        ControllerProcess.startTogether(launches, replicas);
        String kind = "switchover";
        for (String etcdCase : List.of("etcd leader survives", "etcd leader lost too")) {
          for (int round = 1; round <= rounds; round++) {
            // the leader the previous round killed starts again; none after the last round
            for (String r : REPLICAS) {
              if (!replicas.get(r).isAlive()) {
                replicas.put(r, launch(r));
              }
            }
            round(etcdCase, round, kind);
            kind = "switchover".equals(kind) ? "failback" : "switchover";
          }
        }
      } finally {
        replicas.values().forEach(ControllerProcess::close);
        client.close();
        etcd.close();
      }
    }
    report();
    dev.kafkadr.sandbox.process.Io.deleteTree(dir);
    return 0;
  }

  /** Starts {@code replica} on its port with its configuration; returns once it is ready. */
  private ControllerProcess launch(String replica) throws Exception {
    return new ControllerProcess(
        ControllerProcess.inBuildTree(),
        ports.get(replica),
        configs.get(replica),
        dir.resolve(replica + ".log"));
  }

  /**
   * One round: a workflow on the leader, the leader killed mid-way (left dead for the caller to
   * start again), the other one measured.
   */
  private void round(String etcdCase, int round, String kind) throws Exception {
    String leader = awaitLeader(null);
    ControllerApi api = new ControllerApi(url(leader), tls(), OPERATOR, password);
    HttpResponse<String> started =
        api.post("/api/tenants/" + TENANT + "/workflows", "{\"kind\":\"" + kind + "\"}");
    if (started.statusCode() != 202) {
      throw new IllegalStateException(kind + " refused: " + started.body());
    }
    String id = JSON.readTree(started.body()).path("id").asText();
    Waits.until(() -> done(id) >= 4, Duration.ofSeconds(120), "four steps of " + kind);
    int entries = journal(id).size();
    String etcdMember = etcdCase.endsWith("too") ? etcdLeader() : null;
    long killed = System.nanoTime();
    replicas.get(leader).kill();
    if (etcdMember != null) {
      etcd.member(etcdMember).kill();
    }
    String next = awaitLeader(leader);
    long led = System.nanoTime() - killed;
    Waits.until(() -> journal(id).size() > entries, Duration.ofSeconds(60), "the workflow resumed");
    long resumed = System.nanoTime() - killed;
    JsonNode end = awaitEnd(new ControllerApi(url(next), tls(), OPERATOR, password), id);
    if (!"SUCCEEDED".equals(end.path("state").asText())) {
      throw new IllegalStateException(kind + " did not succeed: " + end.toPrettyString());
    }
    results
        .computeIfAbsent(etcdCase, k -> new ArrayList<>())
        .add(
            new long[] {
              TimeUnit.NANOSECONDS.toMillis(led), TimeUnit.NANOSECONDS.toMillis(resumed)
            });
    System.out.printf(
        Locale.ROOT,
        "%-21s round %d: %s SIGKILLed%s during a %s; %s led after %5d ms, resumed the workflow"
            + " after %5d ms; it succeeded%n",
        etcdCase,
        round,
        leader,
        etcdMember == null ? "" : " with etcd member " + etcdMember + " (etcd's leader)",
        kind,
        next,
        TimeUnit.NANOSECONDS.toMillis(led),
        TimeUnit.NANOSECONDS.toMillis(resumed));
    if (etcdMember != null) {
      etcd.member(etcdMember).start();
      etcd.awaitHealthy(etcdMember, Duration.ofSeconds(30));
    }
  }

  private void report() {
    System.out.printf(
        "%nmedians over %d round(s) per case (lease TTL 5 s, margin 1 s; etcd election timeout"
            + " 1 s)%n",
        rounds);
    results.forEach(
        (etcdCase, list) ->
            System.out.printf(
                Locale.ROOT,
                "%-21s other replica leads %6.0f ms, workflow resumed %6.0f ms%n",
                etcdCase,
                Stats.median(list.stream().map(r -> r[0]).toList()),
                Stats.median(list.stream().map(r -> r[1]).toList())));
  }

  /** The replica that leads, other than {@code not}; waits up to 60 s. */
  private String awaitLeader(String not) throws Exception {
    String[] found = new String[1];
    Waits.until(
        () -> {
          for (String r : REPLICAS) {
            if (!r.equals(not) && replicas.get(r).isAlive() && leads(r)) {
              found[0] = r;
              return true;
            }
          }
          return false;
        },
        Duration.ofSeconds(60),
        "a leader");
    return found[0];
  }

  private boolean leads(String replica) {
    try {
      HttpResponse<String> r =
          tls()
              .httpClient()
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url(replica) + "/q/health/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      for (JsonNode check : JSON.readTree(r.body()).path("checks")) {
        if ("controller-store".equals(check.path("name").asText())) {
          return check.path("data").path("leads").asBoolean();
        }
      }
    } catch (Exception e) {
      return false;
    }
    return false;
  }

  /** The member etcd's members say leads. */
  private String etcdLeader() throws Exception {
    for (String name : etcd.names()) {
      var status =
          client.getMaintenanceClient().statusMember(etcd.endpoint(name)).get(5, TimeUnit.SECONDS);
      if (status.getLeader() == status.getHeader().getMemberId()) {
        return name;
      }
    }
    throw new IllegalStateException("no etcd member says it leads");
  }

  /** The workflow's journal entries in etcd, in order. */
  private List<JsonNode> journal(String id) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (var kv :
        client
            .getKVClient()
            .get(
                ByteSequence.from(PREFIX + "log/" + id + "/", StandardCharsets.UTF_8),
                GetOption.builder()
                    .isPrefix(true)
                    .withSortField(GetOption.SortTarget.KEY)
                    .withSortOrder(GetOption.SortOrder.ASCEND)
                    .build())
            .get(5, TimeUnit.SECONDS)
            .getKvs()) {
      out.add(JSON.readTree(kv.getValue().toString(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private int done(String id) throws Exception {
    return (int)
        journal(id).stream().filter(e -> "step-done".equals(e.path("type").asText())).count();
  }

  private static JsonNode awaitEnd(ControllerApi api, String id) throws Exception {
    JsonNode[] last = new JsonNode[1];
    Waits.until(
        () -> {
          last[0] = api.get("/api/workflows/" + id);
          return !List.of("RUNNING", "ROLLING_BACK").contains(last[0].path("state").asText(""))
              && !last[0].path("state").asText("").isEmpty();
        },
        Duration.ofMinutes(3),
        "the workflow's end");
    return last[0];
  }

  private String url(String replica) {
    return "https://127.0.0.1:" + ports.get(replica);
  }

  /** The replicas' certificate chain (one certificate of the sandbox's CA, shared by all). */
  private dev.kafkadr.client.ControllerTls tls() {
    return dev.kafkadr.client.ControllerTls.trusting(
        java.nio.file.Path.of(
            configs.values().iterator().next().get(ControllerProcess.TLS_CERTIFICATE)));
  }
}
