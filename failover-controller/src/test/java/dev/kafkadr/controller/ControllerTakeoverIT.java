package dev.kafkadr.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkadr.sandbox.etcd.EtcdCluster;
import dev.kafkadr.sandbox.process.ControllerProcess;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two packaged controller replicas on a three-member etcd store: one leads, the other sends
 * workflow requests there (307 to the leader's advertised URL); the leader SIGKILLed in the middle
 * of a switchover, the other takes the leader key once the lease ends, resumes the workflow from
 * its journal in etcd, and finishes it: each step done once, the registry's epoch one higher, read
 * through either replica.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ControllerTakeoverIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecuredTenants SANDBOX = new SecuredTenants();
  private static final String PREFIX = "/kdr-takeover/";
  private static EtcdCluster etcd;
  private static Client client;
  private static final Map<String, ControllerProcess> replicas = new HashMap<>();
  private static final Map<String, Map<String, String>> configs = new HashMap<>();
  private static final Map<String, Integer> ports = new HashMap<>();
  private static Path work;

  @BeforeAll
  static void start() throws Exception {
    if (EtcdCluster.find().isEmpty() && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort("etcd is not installed (apt-get install etcd-server etcd-client)");
    }
    Map<String, String> config = new java.util.HashMap<>(SANDBOX.start());
    // The replicas serve HTTPS only, with one certificate of the sandbox's CA: the redirect from
    // a follower to the leader and the registry's clients are checked against it.
    var certificate = SandboxTenants.sandbox.tls().issue("controller");
    config.put(ControllerProcess.TLS_CERTIFICATE, certificate.certificateChain().toString());
    config.put(ControllerProcess.TLS_KEY, certificate.privateKey().toString());
    work = Files.createTempDirectory("kdr-takeover-it");
    // etcd over TLS only, each client (the replicas, this test) with a certificate of the CA.
    var tls = SandboxTenants.sandbox.tls();
    etcd =
        EtcdCluster.start(
            work.resolve("etcd"),
            EtcdCluster.DEFAULT_MEMBERS,
            Duration.ofSeconds(30),
            java.util.Optional.of(tls));
    var own = tls.issue(dev.kafkadr.sandbox.kafka.ClusterSecurity.ADMIN);
    client =
        dev.kafkadr.controller.store.EtcdClients.create(
            etcd.endpoints(),
            java.util.Optional.of(tls.caCertificate()),
            java.util.Optional.of(own.certificateChain()),
            java.util.Optional.of(own.privateKey()));
    List<Integer> free = dev.kafkadr.sandbox.process.FreePorts.allocate(2, false);
    Map<String, ControllerProcess.Launch> starts = new java.util.LinkedHashMap<>();
    for (String replica : List.of("replica-a", "replica-b")) {
      int port = free.get(starts.size());
      Map<String, String> mine = EtcdReplicas.config(config, replica, port, work, etcd, PREFIX);
      Files.createDirectories(holds(replica));
      mine.put("kdr.debug.holds-dir", holds(replica).toString());
      configs.put(replica, mine);
      ports.put(replica, port);
      starts.put(
          replica,
          () ->
              new ControllerProcess(
                  ControllerProcess.inBuildTree(), port, mine, work.resolve(replica + ".log")));
    }
    // Which one leads first does not matter here: every test asks.
    ControllerProcess.startTogether(starts, replicas);
    replicas.values().forEach(r -> ControllerApi.trust(r.tls()));
    assertThat(url("replica-a")).startsWith("https://");
  }

  @AfterAll
  static void stop() {
    replicas.values().forEach(ControllerProcess::close);
    if (client != null) {
      client.close();
    }
    if (etcd != null) {
      etcd.close();
    }
    SANDBOX.stop();
  }

  /**
   * A replica serving HTTPS exports its certificate's expiry (the sandbox CA's 30 days) and every
   * metric the certificate alert rules name.
   */
  @Test
  @Order(0)
  void aReplicaExportsTheExpiryOfItsCertificates() throws Exception {
    String metrics = ControllerApi.metrics(url("replica-a"));
    List<String> mine =
        metrics
            .lines()
            .filter(l -> l.startsWith("kdr_certificate_expiry_timestamp_seconds{"))
            .filter(l -> l.contains("source=\"controller-https\""))
            .toList();
    assertThat(mine)
        .as(metrics)
        .anyMatch(l -> l.contains("subject=\"CN=controller\""))
        .anyMatch(l -> l.contains("subject=\"CN=kafka-dr sandbox CA\""));
    for (String line : mine) {
      double days =
          (Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))
                  - System.currentTimeMillis() / 1000.0)
              / 86_400;
      assertThat(days).as(line).isBetween(29.0, 31.0);
    }
    // Prometheus's text format as the registry writes it: a comma after the last label.
    assertThat(metrics.lines())
        .anyMatch(
            l ->
                l.startsWith("kdr_certificate_store_readable{source=\"controller-https\"")
                    && l.endsWith(" 1.0"));
    java.util.regex.Matcher named =
        java.util.regex.Pattern.compile("kdr_[a-z_]+")
            .matcher(
                Files.readString(
                    Path.of("..", "configs", "prometheus", "kafka-dr-tls-alerts.yaml")));
    while (named.find()) {
      assertThat(metrics).as("the TLS alert rules use " + named.group()).contains(named.group());
    }
  }

  /**
   * etcd is TLS only here: a plain-HTTP request to a member's client port and a TLS one without a
   * client certificate are refused while the same TLS request with a certificate of the CA is
   * answered, and each replica holds its connections to the members on those ports (listed by PID).
   */
  @Test
  @Order(0)
  void theReplicasReachEtcdOverTlsOnly() throws Exception {
    assertThat(etcd.endpoints()).allMatch(e -> e.startsWith("https://"));
    var tls = SandboxTenants.sandbox.tls();
    var trustOnly = java.security.KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(tls.trustStore())) {
      trustOnly.load(in, tls.keyStorePassword().toCharArray());
    }
    var trust =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trustOnly);
    var noCertificate = javax.net.ssl.SSLContext.getInstance("TLS");
    noCertificate.init(null, trust.getTrustManagers(), null);
    var clients =
        java.util.Map.of(
            "plain HTTP",
            java.net.http.HttpClient.newHttpClient(),
            "TLS without a client certificate",
            java.net.http.HttpClient.newBuilder().sslContext(noCertificate).build(),
            "TLS with the sandbox's certificate",
            java.net.http.HttpClient.newBuilder()
                .sslContext(tls.sslContext(dev.kafkadr.sandbox.kafka.ClusterSecurity.ADMIN))
                .build());
    for (int port : etcd.clientPorts()) {
      for (var client : clients.entrySet()) {
        String scheme = client.getKey().startsWith("plain") ? "http" : "https";
        String answer = health(client.getValue(), scheme + "://127.0.0.1:" + port + "/health");
        if (client.getKey().endsWith("certificate") && !client.getKey().contains("without")) {
          // The control: the same request with a certificate of the CA is answered.
          assertThat(answer).as(client.getKey() + " to etcd port " + port).startsWith("HTTP 200");
        } else {
          assertThat(answer)
              .as(client.getKey() + " to etcd port " + port)
              .doesNotStartWith("HTTP 2");
        }
      }
    }
    for (var replica : replicas.entrySet()) {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(
                          dev.kafkadr.testkit.net.ProcessConnections.established(
                              replica.getValue().pid()))
                      .as(replica.getKey() + "'s connections")
                      .anyMatch(c -> etcd.clientPorts().contains(c.remotePort())));
    }
  }

  /** {@code HTTP <status>} of a GET, or {@code closed: <why>} when no HTTP answer came. */
  private static String health(java.net.http.HttpClient client, String url) {
    try {
      return "HTTP "
          + client
              .send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .statusCode();
    } catch (java.io.IOException e) {
      return "closed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  @Test
  @Order(1)
  void theOtherReplicaFinishesASwitchoverTheKilledLeaderStarted() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> leader() != null);
    String leader = leader();
    String follower = "replica-a".equals(leader) ? "replica-b" : "replica-a";
    long epoch = epoch(follower);
    // every replica serves the leader's scan, labelled with who made it
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> leader.equals(tenants(follower).path(0).path("scannedBy").asText()));
    assertThat(tenants(leader).path(0).path("scannedBy").asText()).isEqualTo(leader);

    HttpResponse<String> redirected = post(follower, "switchover");
    assertThat(redirected.statusCode()).as(redirected.body()).isEqualTo(307);
    assertThat(redirected.headers().firstValue("Location"))
        .contains(url(leader) + "/api/tenants/shop/workflows");
    assertThat(JSON.readTree(redirected.body()).path("code").asText()).isEqualTo("not-leader");
    assertThat(redirected.body()).contains("does not lead; the leader is " + leader);

    HttpResponse<String> started = post(leader, "switchover");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String id = JSON.readTree(started.body()).path("id").asText();
    // killed once the fence is up and the drain is under way: the middle of the workflow
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> doneSteps(id).size() >= 4);
    List<String> doneBefore = doneSteps(id);
    Lookups lookups = new Lookups(List.of(url(leader), url(follower)));
    long killed = System.nanoTime();
    replicas.get(leader).kill();

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> leads(follower));
    long tookOver = System.nanoTime() - killed;
    JsonNode done = ControllerApi.awaitEnd(url(follower), id);
    System.out.printf(
        "leader %s SIGKILLed after %s; %s led %d ms later and finished the switchover: %s%n",
        leader,
        doneBefore,
        follower,
        TimeUnit.NANOSECONDS.toMillis(tookOver),
        done.path("state").asText());
    assertThat(done.path("state").asText()).as(done.toPrettyString()).isEqualTo("SUCCEEDED");
    assertThat(doneSteps(id)).as("steps done, in the journal in etcd").doesNotHaveDuplicates();
    assertThat(doneSteps(id)).containsAll(doneBefore);
    assertThat(epoch(follower)).isEqualTo(epoch + 1);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(tookOver)).as("TTL 5 s + allowance").isLessThan(15);
    lookups.close();
    System.out.printf(
        "registry lookups with both URLs through the kill and takeover: %d, %d failed, %d from"
            + " the client's cache%n",
        lookups.done.get(), lookups.failed.get(), lookups.cached.get());
    assertThat(lookups.done.get()).isGreaterThan(20);
    assertThat(lookups.failed.get()).isZero();
    assertThat(lookups.cached.get()).as("every lookup answered by a live replica").isZero();
    System.out.printf(
        "the switchover's journal in etcd: %d entries, %,d bytes of values%n",
        journalSize(id)[0], journalSize(id)[1]);
  }

  /**
   * Two operators, one on each replica, start a switchover of the same tenant at the same moment:
   * the follower's request goes to the leader (307) and exactly one of the two runs; the other is
   * refused (409) because the first holds the tenant.
   */
  @Test
  @Order(2)
  void twoOperatorsOnTwoReplicasAtOnceStartOneWorkflow() throws Exception {
    for (String replica : configs.keySet()) {
      if (!replicas.get(replica).isAlive()) { // the leader the first test killed, back
        replicas.put(
            replica,
            new ControllerProcess(
                ControllerProcess.inBuildTree(),
                ports.get(replica),
                configs.get(replica),
                work.resolve(replica + "-restarted.log")));
      }
    }
    String leader = leader();
    String follower = "replica-a".equals(leader) ? "replica-b" : "replica-a";
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (String replica : List.of(leader, follower)) {
        answers.add(
            two.submit(
                () -> {
                  together.await();
                  HttpResponse<String> r = post(replica, "switchover");
                  return r.statusCode() == 307
                      ? ControllerApi.send(
                          r.headers()
                              .firstValue("Location")
                              .orElseThrow()
                              .replaceAll("/api/.*", ""),
                          "POST",
                          "/api/tenants/shop/workflows",
                          JSON.writeValueAsString(Map.of("kind", "switchover", "dryRun", false)))
                      : r;
                }));
      }
      List<Integer> codes = new ArrayList<>();
      String id = null;
      for (var a : answers) {
        HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
        codes.add(r.statusCode());
        if (r.statusCode() == 202) {
          id = JSON.readTree(r.body()).path("id").asText();
        } else {
          assertThat(r.body()).contains("shop");
        }
      }
      System.out.printf("two operators at once: answers %s%n", codes);
      assertThat(codes).containsExactlyInAnyOrder(202, 409);
      assertThat(ControllerApi.awaitEnd(url(leader), id).path("state").asText())
          .isEqualTo("SUCCEEDED");
    } finally {
      two.shutdownNow();
    }
  }

  /**
   * Two of etcd's three members killed: no replica leads, a workflow is refused with a clear 503
   * (code no-leader), the registry still answers on both replicas (etcd's serializable reads); the
   * members back, a leader is elected and a workflow runs again (a dry run).
   */
  @Test
  @Order(3)
  void withoutQuorumNoWorkflowStartsReadsGoOnAndAllResumesWithIt() throws Exception {
    String cluster =
        JSON.readTree(
                ControllerApi.send(url("replica-a"), "GET", "/api/tenants/shop/bootstrap", null)
                    .body())
            .path("cluster")
            .asText();
    long lost = System.nanoTime();
    etcd.member("secondary").kill();
    etcd.member("witness").kill();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> leader() == null);
      System.out.printf(
          "quorum lost: no replica led %d ms later%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lost));
      for (String replica : replicas.keySet()) {
        if (!replicas.get(replica).isAlive()) {
          continue;
        }
        HttpResponse<String> refused = post(replica, "switchover");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(JSON.readTree(refused.body()).path("code").asText()).isEqualTo("no-leader");
        assertThat(refused.body()).contains("no replica leads now");
        long asked = System.nanoTime();
        HttpResponse<String> read =
            ControllerApi.send(url(replica), "GET", "/api/tenants/shop/bootstrap", null);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).path("cluster").asText()).isEqualTo(cluster);
        System.out.printf(
            "%s without quorum: workflow refused 503, registry answered in %d ms%n",
            replica, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked));
      }
    } finally {
      etcd.member("secondary").start();
      etcd.member("witness").start();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> leader() != null);
    HttpResponse<String> plan =
        ControllerApi.send(
            url(leader()),
            "POST",
            "/api/tenants/shop/workflows",
            JSON.writeValueAsString(Map.of("kind", "switchover", "dryRun", true)));
    assertThat(plan.statusCode()).as(plan.body()).isIn(200, 202);
  }

  /**
   * The leader held just before its first change of each kind in turn (an ACL, a connector, the
   * registry), SIGSTOPped there past its lease: the other replica takes over and finishes the
   * switchover; SIGCONT: the old leader makes no call (its lease check refuses the held change),
   * writes nothing to the store, and the end state is the new leader's.
   */
  @ParameterizedTest
  @ValueSource(strings = {"acl", "connector", "registry"})
  @Order(4)
  void aLeaderPausedJustBeforeAChangeMakesNoneOnceItWakes(String kind) throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> leader() != null);
    String leader = leader();
    String follower = "replica-a".equals(leader) ? "replica-b" : "replica-a";
    Path arm = holds(leader).resolve(kind);
    Files.writeString(arm, "armed by the test");
    String id;
    try {
      HttpResponse<String> started = post(leader, "switchover");
      assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
      id = JSON.readTree(started.body()).path("id").asText();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> Files.exists(holds(leader).resolve(kind + ".held")));
      replicas.get(leader).pause();
    } finally {
      Files.deleteIfExists(arm);
    }
    long paused = System.nanoTime();
    JsonNode done;
    List<String> journal;
    String registry;
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> leads(follower));
      done = ControllerApi.awaitEnd(url(follower), id);
      journal = entries(id);
      registry =
          ControllerApi.send(url(follower), "GET", "/api/tenants/shop/bootstrap", null).body();
    } finally {
      replicas.get(leader).resume();
    }
    System.out.printf(
        "%s held before its %s change and SIGSTOPped; %s finished the switchover %s (%d ms after"
            + " the pause)%n",
        leader,
        kind,
        follower,
        done.path("state").asText(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - paused));
    assertThat(done.path("state").asText()).as(done.toPrettyString()).isEqualTo("SUCCEEDED");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Files.readString(replicas.get(leader).log())
                    .contains("lease ended before its " + kind + " change"));
    // anything the old leader would still do, it would do now: for 2 s it writes nothing
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> !leads(leader) && entries(id).equals(journal));
    assertThat(leads(leader)).isFalse();
    assertThat(entries(id)).as("no journal write from the old leader").isEqualTo(journal);
    assertThat(ControllerApi.send(url(follower), "GET", "/api/tenants/shop/bootstrap", null).body())
        .as("the registry as the new leader left it")
        .isEqualTo(registry);
    assertThat(doneSteps(id)).doesNotHaveDuplicates();
  }

  /** Every entry of the workflow's journal in etcd, in order. */
  private static List<String> entries(String id) throws Exception {
    List<String> out = new ArrayList<>();
    for (var kv :
        client
            .getKVClient()
            .get(
                bytes(PREFIX + "log/" + id + "/"),
                GetOption.builder()
                    .isPrefix(true)
                    .withSortField(GetOption.SortTarget.KEY)
                    .withSortOrder(GetOption.SortOrder.ASCEND)
                    .build())
            .get(5, TimeUnit.SECONDS)
            .getKvs()) {
      out.add(kv.getValue().toString(StandardCharsets.UTF_8));
    }
    return out;
  }

  private static Path holds(String replica) {
    return work.resolve(replica + "-holds");
  }

  /** Registry lookups every 50 ms by a client given every replica's URL, counted. */
  private static final class Lookups implements AutoCloseable {
    final java.util.concurrent.atomic.AtomicInteger done =
        new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger failed =
        new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger cached =
        new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.ScheduledExecutorService every =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

    Lookups(List<String> urls) throws Exception {
      var registry =
          new dev.kafkadr.client.Registry(
              urls.stream().map(java.net.URI::create).toList(),
              Files.createTempDirectory("kdr-lookups"),
              Duration.ofSeconds(2),
              SandboxTenants.CLIENT,
              SandboxTenants.PASSWORD,
              ControllerApi.tls());
      every.scheduleWithFixedDelay(
          () -> {
            try {
              if (registry.locate("shop").cached()) {
                cached.incrementAndGet();
              }
            } catch (RuntimeException e) {
              failed.incrementAndGet();
            }
            done.incrementAndGet();
          },
          0,
          50,
          TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      every.shutdown();
      every.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static String leader() throws Exception {
    for (String replica : replicas.keySet()) {
      if (replicas.get(replica).isAlive() && leads(replica)) {
        return replica;
      }
    }
    return null;
  }

  private static boolean leads(String replica) throws Exception {
    JsonNode health =
        JSON.readTree(ControllerApi.send(url(replica), "GET", "/q/health/ready", null).body());
    for (JsonNode check : health.path("checks")) {
      if ("controller-store".equals(check.path("name").asText())) {
        return check.path("data").path("leads").asBoolean();
      }
    }
    return false;
  }

  private static HttpResponse<String> post(String replica, String kind) throws Exception {
    return ControllerApi.send(
        url(replica),
        "POST",
        "/api/tenants/shop/workflows",
        JSON.writeValueAsString(Map.of("kind", kind, "dryRun", false)));
  }

  private static JsonNode tenants(String replica) throws Exception {
    return JSON.readTree(ControllerApi.send(url(replica), "GET", "/api/tenants", null).body());
  }

  private static long epoch(String replica) throws Exception {
    return JSON.readTree(
            ControllerApi.send(url(replica), "GET", "/api/tenants/shop/bootstrap", null).body())
        .path("epoch")
        .asLong();
  }

  /** The steps the workflow's journal in etcd shows done, in order, repeats kept. */
  private static List<String> doneSteps(String id) throws Exception {
    List<String> out = new ArrayList<>();
    for (String entry : entries(id)) {
      JsonNode e = JSON.readTree(entry);
      if ("step-done".equals(e.path("type").asText())) {
        out.add(e.path("step").asText());
      }
    }
    return out;
  }

  /** The workflow's journal entries in etcd: {count, bytes of keys and values}. */
  private static long[] journalSize(String id) throws Exception {
    long[] out = new long[2];
    for (var kv :
        client
            .getKVClient()
            .get(bytes(PREFIX + "log/" + id + "/"), GetOption.builder().isPrefix(true).build())
            .get(5, TimeUnit.SECONDS)
            .getKvs()) {
      out[0]++;
      out[1] += kv.getKey().size() + kv.getValue().size();
    }
    return out;
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static String url(String replica) {
    return replicas.get(replica).url();
  }
}
