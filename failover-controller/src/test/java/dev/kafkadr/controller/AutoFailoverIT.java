package dev.kafkadr.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkadr.sandbox.etcd.EtcdCluster;
import dev.kafkadr.sandbox.net.NetworkCut;
import dev.kafkadr.sandbox.process.ControllerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Automatic failover with two packaged replicas on etcd, each a vantage point outside the primary's
 * region (one in the secondary region, one in a witness region), each started in a network group of
 * its own so a test can cut one replica's link to the primary. Tenant {@code shop} fails over
 * automatically 4 s after the primary is lost; {@code slow} too, unless more than 2 s of its
 * records may be lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoFailoverIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration AFTER = Duration.ofSeconds(4);
  private static final String PRODUCER = "shop-producer";
  private static final Tenants SANDBOX = new Tenants();
  private static EtcdCluster etcd;
  private static final Map<String, ControllerProcess> replicas = new LinkedHashMap<>();
  private static final Map<String, NetworkCut> cuts = new HashMap<>();

  /**
   * shop and slow, both automatic; slow's data at risk may not exceed 2 s; shop's producer fenced
   * by a replica in its cluster's region cut from the store.
   */
  static final class Tenants extends SandboxTenants {
    /** Secured, as production: every listener TLS, each component its own principal. */
    @Override
    protected boolean secured() {
      return true;
    }

    @Override
    protected void prepare(dev.kafkadr.config.TenantsFile file) {
      dev.kafkadr.sandbox.TenantUsers.create(sandbox, file, PASSWORD);
    }

    @Override
    protected NewTopic[] topics() {
      return new NewTopic[] {
        new NewTopic("shop.orders", 1, (short) 1), new NewTopic("slow.events", 1, (short) 1)
      };
    }

    @Override
    protected String flowsAndTenants() {
      return String.join(
          "\n",
          "flows:",
          "  - {source: primary, target: secondary, tenants: [shop, slow]}",
          "tenants:",
          identical("shop"),
          "    access: [{principal: \"User:" + PRODUCER + "\", role: producer}]",
          "    failover: {automatic: true, after: "
              + AFTER.toSeconds()
              + "s, fenceOnStoreLoss: true}",
          identical("slow"),
          "    failover: {automatic: true, after: " + AFTER.toSeconds() + "s, maxDataAtRisk: 2s}");
    }
  }

  /** A tenant entry with identical names (workflows move only those). */
  private static String identical(String id) {
    return SandboxTenants.tenant(id, "30s", "").replaceFirst("\n", "\n    naming: identical\n");
  }

  @BeforeAll
  static void start() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    if (EtcdCluster.find().isEmpty() && !ci) {
      Assumptions.abort("etcd is not installed (apt-get install etcd-server etcd-client)");
    }
    if (NetworkCut.unavailable().isPresent() && !ci) {
      Assumptions.abort(NetworkCut.unavailable().get());
    }
    Map<String, String> config = SANDBOX.start();
    Path work = Files.createTempDirectory("kdr-auto-failover-it");
    etcd =
        EtcdCluster.start(
            work.resolve("etcd"),
            EtcdCluster.DEFAULT_MEMBERS,
            Duration.ofSeconds(30),
            java.util.Optional.of(SandboxTenants.sandbox.tls()));
    List<Integer> ports = dev.kafkadr.sandbox.process.FreePorts.allocate(3, false);
    Map<String, String> regions =
        Map.of("replica-b", "secondary", "replica-w", "witness", "replica-p", "primary");
    Map<String, ControllerProcess.Launch> starts = new LinkedHashMap<>();
    for (String replica : List.of("replica-b", "replica-w", "replica-p")) {
      int port = ports.get(starts.size());
      Map<String, String> mine =
          EtcdReplicas.config(config, replica, port, work, etcd, "/kdr-auto/");
      mine.put("kdr.region", regions.get(replica));
      mine.put("kdr.failover.probe-interval", "1s");
      mine.put("kdr.failover.probe-timeout", "1s");
      NetworkCut cut = NetworkCut.create(replica.replace('-', '_'));
      cuts.put(replica, cut);
      starts.put(
          replica,
          () ->
              new ControllerProcess(
                  ControllerProcess.inBuildTree(),
                  port,
                  mine,
                  work.resolve(replica + ".log"),
                  cut.launcher()));
    }
    // replica-b, in the secondary's region, first: it takes the lease, as the tests expect; the
    // two others together.
    replicas.put("replica-b", starts.remove("replica-b").start());
    ControllerProcess.startTogether(starts, replicas);
  }

  @AfterAll
  static void stop() {
    replicas.values().forEach(ControllerProcess::close);
    cuts.values().forEach(NetworkCut::close);
    if (etcd != null) {
      etcd.close();
    }
    SANDBOX.stop();
  }

  @Test
  @Order(1)
  void onlyTheLeadersLinkToThePrimaryCutIsNoLossOfThePrimary() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> leader() != null);
    String leader = leader();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "WATCHING".equals(state(leader, "shop"))
                    && seesUp(leader, witness(leader), "primary"));

    cuts.get(leader).cut(primaryPorts());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> !seesUp(leader, leader, "primary") && seesUp(leader, witness(leader), "primary"));
    // past `after` and then some, the tenant stays watched and no workflow starts
    await()
        .during(AFTER.plusSeconds(3))
        .atMost(AFTER.plusSeconds(10))
        .until(() -> "WATCHING".equals(state(leader, "shop")) && workflows(leader).isEmpty());
    JsonNode shop = automatic(leader).path("tenants").path("shop");
    System.out.printf("leader %s cut from the primary: shop %s%n", leader, shop);
    assertThat(shop.path("state").asText()).isEqualTo("WATCHING");
    assertThat(shop.path("reason").asText())
        .startsWith("primary is reachable from replica-")
        .doesNotContain(leader)
        .doesNotContain("replica-p"); // the primary's own region is no witness
    assertThat(workflows(leader)).as("no workflow started").isEmpty();
    assertThat(cluster(leader, "shop")).isEqualTo("primary");

    cuts.get(leader).heal();
    await().atMost(Duration.ofSeconds(20)).until(() -> seesUp(leader, leader, "primary"));
  }

  /**
   * The replica in the primary's region cut from etcd: past the lease's TTL it fences shop's
   * producer on the primary (its write refused), while the other regions, which still reach the
   * primary, fail nothing over; the link back, the fence is lifted (shop was not moved).
   */
  @Test
  @Order(2)
  void aReplicaCutFromTheStoreFencesItsRegionsClusterAndLiftsItWhenBack() throws Exception {
    String leader = leader();
    Set<Integer> etcdPorts =
        etcd.endpoints().stream()
            .map(e -> Integer.parseInt(e.substring(e.lastIndexOf(':') + 1)))
            .collect(Collectors.toSet());
    // a client of shop in the primary's region writes all along: the fault matrix's row 14 asks
    // that the primary take none of its writes later than the lease's TTL + 5 s after the cut
    StaleClient writer =
        new StaleClient(
            SandboxTenants.sandbox.primary().tenantClientConfig(PRODUCER, SandboxTenants.PASSWORD));
    long cut = System.nanoTime();
    try (writer) {
      writer.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.acked() >= 100);
      cut = System.nanoTime();
      long cutAtMillis = System.currentTimeMillis();
      cuts.get("replica-p").cut(etcdPorts);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !denies().isEmpty());
      long fencedAfter =
          java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.refused() != null);
      long lastAccepted = writer.lastAckAtMillis() - cutAtMillis;
      System.out.printf(
          "replica-p cut from etcd: the primary's last accepted write of shop %d ms after the cut"
              + " (%d written before the fence), then %s%n",
          lastAccepted, writer.acked(), writer.refused().getClass().getSimpleName());
      assertThat(writer.refused()).isInstanceOf(AuthorizationException.class);
      assertThat(lastAccepted)
          .as("last write accepted, ms after the cut: TTL 5 s + 5 s")
          .isLessThan(10_000);
      System.out.printf(
          "replica-p cut from etcd: shop's producer fenced on the primary %d ms later (%d DENY"
              + " bindings)%n",
          fencedAfter, denies().size());
      // counted from the first read etcd did not answer, which may have started up to one probe
      // interval (1 s) before the cut
      assertThat(fencedAfter)
          .as("not before the lease's TTL of 5 s, less 1 s")
          .isGreaterThan(4_000);
      Map<String, Object> producer =
          new HashMap<>(
              SandboxTenants.sandbox
                  .primary()
                  .tenantClientConfig(PRODUCER, SandboxTenants.PASSWORD));
      producer.put("max.block.ms", 10_000);
      try (var p = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
        assertThat(
                org.assertj.core.api.Assertions.catchThrowable(
                    () -> p.send(new ProducerRecord<>("shop.orders", "k", "fenced")).get()))
            .hasRootCauseInstanceOf(org.apache.kafka.common.errors.AuthorizationException.class);
      }
      assertThat(workflows(leader().equals("replica-p") ? witness("replica-p") : leader()))
          .as("the other regions reach the primary: no failover")
          .isEmpty();
    } finally {
      cuts.get("replica-p").heal();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> denies().isEmpty());
    System.out.printf(
        "replica-p reaches etcd again: the fence lifted %d ms after the cut began%n",
        java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut));
  }

  /** The DENY bindings of shop's producer on the primary. */
  private static List<org.apache.kafka.common.acl.AclBinding> denies() throws Exception {
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            SandboxTenants.sandbox.primary().adminConfig())) {
      return List.copyOf(
          admin
              .describeAcls(
                  new org.apache.kafka.common.acl.AclBindingFilter(
                      org.apache.kafka.common.resource.ResourcePatternFilter.ANY,
                      new org.apache.kafka.common.acl.AccessControlEntryFilter(
                          "User:" + PRODUCER,
                          null,
                          org.apache.kafka.common.acl.AclOperation.ANY,
                          org.apache.kafka.common.acl.AclPermissionType.DENY)))
              .values()
              .get(10, java.util.concurrent.TimeUnit.SECONDS));
    }
  }

  @Test
  @Order(3)
  void thePrimaryKilledFailsOverTheTenantAfterItsDelayButHoldsTheOneWithTooMuchAtRisk()
      throws Exception {
    String leader = leader();
    var connect = SandboxTenants.sandbox.connect();
    String slowSource = "slow.primary-to-secondary.source";
    produce("shop.orders", 20);
    produce("slow.events", 20);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> lagSeconds(leader, "shop") == 0 && lagSeconds(leader, "slow") == 0);
    connect.pauseRunning(slowSource, Duration.ofSeconds(30));
    produce("slow.events", 5);
    // slow's oldest uncopied record is older than its 2 s allowance in the leader's scans
    await().atMost(Duration.ofSeconds(30)).until(() -> lagSeconds(leader, "slow") > 3);

    Instant killed = Instant.now();
    for (var node : SandboxTenants.sandbox.primary().nodes()) {
      SandboxTenants.sandbox.kill(node.role());
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> !workflows(leader).isEmpty());
    JsonNode started = workflows(leader).get(0);
    JsonNode done = ControllerApi.awaitEnd(url(leader), started.path("id").asText());
    JsonNode trigger = done.path("facts").path("trigger");
    Instant createdAt = Instant.parse(done.path("createdAt").asText());
    System.out.printf(
        "primary killed; shop's automatic failover started %d ms later, ended %s: %s%n",
        Duration.between(killed, createdAt).toMillis(),
        done.path("state").asText(),
        trigger.path("reason").asText());
    assertThat(done.path("tenant").asText()).isEqualTo("shop");
    assertThat(done.path("kind").asText()).isEqualToIgnoringCase("failover");
    assertThat(done.path("state").asText()).as(done.toPrettyString()).isEqualTo("SUCCEEDED");
    assertThat(Duration.between(killed, createdAt)).as("not before `after`").isGreaterThan(AFTER);
    assertThat(trigger.path("automatic").asBoolean()).isTrue();
    assertThat(trigger.path("vantagePoints")).hasSize(2);
    assertThat(trigger.path("vantagePoints").findValuesAsText("reachable")).containsOnly("false");
    assertThat(cluster(leader, "shop")).isEqualTo("secondary");

    await().atMost(Duration.ofSeconds(20)).until(() -> "HELD".equals(state(leader, "slow")));
    JsonNode slow = automatic(leader).path("tenants").path("slow");
    System.out.printf("slow: %s%n", slow.path("reason").asText());
    assertThat(slow.path("reason").asText()).contains("exceeds maxDataAtRisk 2 s");
    assertThat(cluster(leader, "slow")).isEqualTo("primary");
    assertThat(workflows(leader)).hasSize(1);
    List<JsonNode> audit = audit(leader);
    assertThat(audit)
        .anySatisfy(
            e -> {
              assertThat(e.path("action").asText()).isEqualTo("automatic failover held");
              assertThat(e.path("tenant").asText()).isEqualTo("slow");
              assertThat(e.path("actor").asText()).isEqualTo("automatic-failover");
              assertThat(e.path("reason").asText()).contains("maxDataAtRisk");
            })
        .anySatisfy(
            e -> {
              assertThat(e.path("action").asText()).isEqualTo("start failover");
              assertThat(e.path("tenant").asText()).isEqualTo("shop");
              assertThat(e.path("trigger").path("vantagePoints")).hasSize(2);
            });
    // the round after the failover's end sees the tenant on its new cluster
    await().atMost(Duration.ofSeconds(10)).until(() -> "AWAY".equals(state(leader, "shop")));
    String metrics = ControllerApi.metrics(url(leader));
    assertThat(metrics)
        .containsPattern("kdr_tenant_failover_automatic_state\\{tenant=\"slow\",?} 6\\.0")
        .containsPattern("kdr_tenant_failover_automatic_state\\{tenant=\"shop\",?} 2\\.0");
    assertThat(audit)
        .as("no guard rail reported for the tenant whose failover runs")
        .noneSatisfy(
            e -> {
              assertThat(e.path("action").asText()).isEqualTo("automatic failover held");
              assertThat(e.path("tenant").asText()).isEqualTo("shop");
            });
  }

  @Test
  @Order(4)
  void oneSwitchDisablesAutomaticFailoverOnEveryReplica() throws Exception {
    String leader = leader();
    String other = other(leader);
    HttpResponse<String> follower =
        ControllerApi.send(
            url(other), "PUT", "/api/failover/automatic", "{\"enabled\":false,\"reason\":\"x\"}");
    assertThat(follower.statusCode()).as("sent to the leader").isEqualTo(307);
    // kdr asked of the follower follows it to the leader
    var off =
        Kdr.run(
            "auto-failover",
            "disable",
            "--reason",
            "region maintenance",
            "--controller",
            url(other),
            "--user",
            SandboxTenants.OPERATOR);
    assertThat(off.getKey()).as(off.getValue()).isZero();
    assertThat(off.getValue())
        .contains("automatic failover: DISABLED everywhere by " + SandboxTenants.OPERATOR);
    for (String replica : replicas.keySet()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> "DISABLED".equals(state(replica, "slow")));
      assertThat(automatic(replica).path("enabled").asBoolean(true)).isFalse();
      assertThat(automatic(replica).path("disabled").path("reason").asText())
          .isEqualTo("region maintenance");
    }
    var status =
        Kdr.run("auto-failover", "--controller", url(other), "--user", SandboxTenants.OPERATOR);
    System.out.println(status.getValue());
    assertThat(status.getValue())
        .containsPattern("slow +DISABLED +automatic failover is disabled everywhere by")
        .containsPattern("replica-b +region secondary")
        .contains("primary=DOWN");
    assertThat(audit(leader))
        .anySatisfy(
            e -> assertThat(e.path("action").asText()).isEqualTo("automatic failover disabled"));
    var on =
        Kdr.run(
            "auto-failover",
            "enable",
            "--controller",
            url(leader),
            "--user",
            SandboxTenants.OPERATOR);
    assertThat(on.getKey()).as(on.getValue()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> "HELD".equals(state(leader, "slow")));
  }

  private static void produce(String topic, int n) throws Exception {
    Map<String, Object> config = new HashMap<>(SandboxTenants.sandbox.primary().adminConfig());
    try (var p = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < n; i++) {
        p.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
      }
    }
  }

  private static Set<Integer> primaryPorts() {
    var primary = SandboxTenants.sandbox.primary();
    return Stream.of(primary.bootstrapServers(), primary.tenantBootstrapServers())
        .flatMap(s -> Stream.of(s.split(",")))
        .map(a -> Integer.parseInt(a.substring(a.lastIndexOf(':') + 1)))
        .collect(Collectors.toSet());
  }

  private static String leader() throws Exception {
    for (String replica : replicas.keySet()) {
      if (replicas.get(replica).isAlive() && automatic(replica).path("leads").asBoolean()) {
        return replica;
      }
    }
    return null;
  }

  private static String other(String replica) {
    return replicas.keySet().stream().filter(r -> !r.equals(replica)).findFirst().orElseThrow();
  }

  /** A replica outside the primary's region other than {@code replica}. */
  private static String witness(String replica) {
    return "replica-b".equals(replica) ? "replica-w" : "replica-b";
  }

  private static JsonNode automatic(String replica) throws Exception {
    return JSON.readTree(
        ControllerApi.send(url(replica), "GET", "/api/failover/automatic", null).body());
  }

  private static String state(String replica, String tenant) throws Exception {
    return automatic(replica).path("tenants").path(tenant).path("state").asText();
  }

  /** Whether {@code asked}'s view shows {@code vantage}'s newest probe reaching {@code cluster}. */
  private static boolean seesUp(String asked, String vantage, String cluster) throws Exception {
    for (JsonNode v : automatic(asked).path("vantagePoints")) {
      if (vantage.equals(v.path("replica").asText())) {
        return v.path("clusters").path(cluster).path("reachable").asBoolean();
      }
    }
    return false;
  }

  private static List<JsonNode> workflows(String replica) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(ControllerApi.send(url(replica), "GET", "/api/workflows", null).body())
        .forEach(out::add);
    return out;
  }

  private static List<JsonNode> audit(String replica) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(ControllerApi.send(url(replica), "GET", "/api/audit", null).body())
        .forEach(out::add);
    return out;
  }

  private static String cluster(String replica, String tenant) throws Exception {
    return JSON.readTree(
            ControllerApi.send(url(replica), "GET", "/api/tenants/" + tenant + "/bootstrap", null)
                .body())
        .path("cluster")
        .asText();
  }

  private static double lagSeconds(String replica, String tenant) throws Exception {
    JsonNode lag =
        JSON.readTree(
            ControllerApi.send(url(replica), "GET", "/api/tenants/" + tenant + "/lag", null)
                .body());
    JsonNode flow = lag.path("flows").path(0);
    return flow.path("lagRecords").asLong(-1) < 0 ? -1 : flow.path("lagSeconds").asDouble(-1);
  }

  private static String url(String replica) {
    return replicas.get(replica).url();
  }
}
