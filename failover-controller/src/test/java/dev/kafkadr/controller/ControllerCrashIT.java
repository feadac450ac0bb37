package dev.kafkadr.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkadr.sandbox.process.ControllerProcess;
import dev.kafkadr.sandbox.process.FreePorts;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controller killed with SIGKILL after each step of a switchover in turn, and at three points
 * of a failover, then started again: it resumes the same workflow, which ends where an
 * uninterrupted one ends, and no step's effect happens twice (the registry's epoch grows by exactly
 * one per workflow; a reverse-flow connector created twice, or a fence raised on the wrong cluster,
 * would fail the workflow). The controller is the packaged application ({@code
 * target/quarkus-app}), run as a child process and killed by PID.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ControllerCrashIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The workflow tests' sandbox, in its secured mode: every connection TLS. */
  private static final SecuredTenants SANDBOX = new SecuredTenants();

  private static Map<String, String> config;
  private static Path work;
  private static int port;
  private static ControllerProcess controller;

  /** A workflow resumed after the kill, as it ended, and the steps its journal shows done. */
  private record Resumed(JsonNode run, List<String> stepsDone) {}

  @BeforeAll
  static void start() throws Exception {
    config = SANDBOX.start();
    // The controller's API over HTTPS too, checked against the sandbox's CA.
    var certificate = SandboxTenants.sandbox.tls().issue("controller");
    config.put(ControllerProcess.TLS_CERTIFICATE, certificate.certificateChain().toString());
    config.put(ControllerProcess.TLS_KEY, certificate.privateKey().toString());
    ControllerApi.trust(
        dev.kafkadr.client.ControllerTls.trusting(SandboxTenants.sandbox.tls().caCertificate()));
    work = Files.createTempDirectory("kdr-crash-it");
    port = FreePorts.allocate(1, false).get(0);
  }

  @AfterAll
  static void stop() {
    if (controller != null) {
      controller.close();
    }
    SANDBOX.stop();
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void aControllerKilledAfterAnyStepResumesTheWorkflowAndDoesNothingTwice() throws Exception {
    if (controller == null || !controller.isAlive()) {
      startController();
    }
    List<String> steps = new ArrayList<>();
    JsonNode plan = post("switchover", true);
    plan.path("steps").forEach(s -> steps.add(s.path("name").asText()));
    steps.remove("created");
    steps.remove(steps.size() - 1); // killed after the last step, there is nothing to resume
    List<String> report = new ArrayList<>();
    String kind = "switchover";
    long epoch = registryEpoch();
    for (String step : steps) {
      List<String> doneOnce = killAfterAndResume(kind, step).stepsDone();
      assertThat(registryEpoch()).as("registry epoch after " + kind).isEqualTo(epoch + 1);
      epoch++;
      report.add(
          kind + " killed after " + step + ": resumed, " + doneOnce.size() + " steps done once");
      kind = "switchover".equals(kind) ? "failback" : "switchover";
    }
    System.out.println("controller SIGKILL after each step:\n  " + String.join("\n  ", report));
  }

  /**
   * The fault matrix's row 12: the controller SIGKILLed in the middle of an unplanned failover (the
   * old cluster still answers, so its fence goes in) after the old cluster's fence, after the loss
   * is measured, and after the offsets are translated. Started again, it finishes that failover:
   * every step done once, the registry's epoch one up. Reconcile (which starts the flow back) and a
   * failback bring the tenant home before the next round.
   */
  @Test
  @org.junit.jupiter.api.Order(2)
  void aControllerKilledMidFailoverResumesItAndDoesNothingTwice() throws Exception {
    if (controller == null || !controller.isAlive()) {
      startController();
    }
    if ("secondary".equals(registry().path("cluster").asText())) {
      home(); // where the switchover rounds of the other test left it
    }
    List<String> report = new ArrayList<>();
    for (String step : List.of("fence-old", "measure-loss", "translate-offsets")) {
      long epoch = registryEpoch();
      Resumed resumed = killAfterAndResume("failover", step);
      List<String> doneOnce = resumed.stepsDone();
      assertThat(registry().path("cluster").asText()).isEqualTo("secondary");
      assertThat(registryEpoch()).as("registry epoch after the failover").isEqualTo(epoch + 1);
      report.add(
          "failover killed after "
              + step
              + ": resumed, "
              + doneOnce.size()
              + " steps done once, fenced on the old cluster: "
              + resumed.run().path("facts").path("oldFenced").asText());
      home();
    }
    System.out.println("controller SIGKILL mid-failover:\n  " + String.join("\n  ", report));
  }

  /**
   * Starts a workflow of {@code kind}, SIGKILLs the controller once the journal shows {@code step}
   * done, starts it again and waits for the workflow to end: it must have SUCCEEDED with no step
   * done twice.
   */
  private static Resumed killAfterAndResume(String kind, String step) throws Exception {
    String id = post(kind, false).path("id").asText();
    Path journal = Path.of(config.get("kdr.workflow.journal-dir")).resolve(id + ".jsonl");
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> Files.exists(journal) && doneSteps(journal).contains(step));
    controller.kill();
    await().atMost(Duration.ofSeconds(10)).until(() -> !controller.isAlive());
    startController();
    JsonNode done = awaitEnd(id);
    assertThat(done.path("state").asText()).as(done.toPrettyString()).isEqualTo("SUCCEEDED");
    List<String> doneOnce = doneSteps(journal);
    assertThat(doneOnce).as("steps done, in " + journal).doesNotHaveDuplicates();
    return new Resumed(done, doneOnce);
  }

  /**
   * Brings shop home after a failover or a switchover: reconcile with republish after a failover
   * (it starts the flow back), then a failback once the flow back runs.
   */
  private static void home() throws Exception {
    long epoch = registryEpoch();
    HttpResponse<String> reconciled =
        send("POST", "/api/tenants/shop/reconcile", "{\"republish\": true}");
    // 400: the last workflow was a switchover, whose flow back runs already
    assertThat(reconciled.statusCode()).as(reconciled.body()).isIn(200, 400);
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode flow =
                  JSON.readTree(send("GET", "/api/tenants/shop/lag", null).body())
                      .path("flows")
                      .path(0);
              return "secondary".equals(flow.path("source").asText())
                  && "RUNNING".equals(flow.path("health").path("replication").asText());
            });
    JsonNode back = awaitEnd(post("failback", false).path("id").asText());
    assertThat(back.path("state").asText()).as(back.toPrettyString()).isEqualTo("SUCCEEDED");
    assertThat(registry().path("cluster").asText()).isEqualTo("primary");
    assertThat(registryEpoch()).isEqualTo(epoch + 1);
  }

  /**
   * A second replica pointed at the running one's journal directory refuses to start, naming the
   * holder: both would resume every unfinished workflow and run it twice.
   */
  @Test
  @org.junit.jupiter.api.Order(3)
  void aSecondReplicaOnTheSameJournalDirectoryRefusesToStart() throws Exception {
    if (controller == null || !controller.isAlive()) {
      startController();
    }
    Path lock = Path.of(config.get("kdr.workflow.journal-dir")).resolve("controller.lock");
    String holder = Files.readString(lock).strip();
    assertThat(holder).contains("HTTPS port " + port);
    Path log = work.resolve("second.log");
    assertThatThrownBy(() -> new ControllerProcess(ControllerProcess.inBuildTree(), config, log))
        .hasMessageContaining("did not become ready");
    assertThat(Files.readString(log))
        .contains("is in use by another controller or tool (" + holder + ")");
    assertThat(controller.isAlive()).isTrue();
    assertThat(Files.readString(lock).strip()).isEqualTo(holder);
  }

  /**
   * The sandbox is secured (every listener TLS, the controller its own principal): after the
   * workflows above, every connection the controller's process holds, listed by PID, is on a TLS
   * port (a broker listener, a Connect worker's HTTPS REST API, or its own HTTPS API), and no
   * secret of the run (the key stores' password, the Connect REST password, the API and SCRAM
   * password) is in a file the run wrote besides its own, in the metrics or in an API answer.
   */
  @Test
  @org.junit.jupiter.api.Order(4)
  void everyConnectionOfTheControllerIsTlsAndNoSecretIsWrittenOrServed() throws Exception {
    if (controller == null || !controller.isAlive()) {
      startController();
    }
    var sandbox = SandboxTenants.sandbox;
    java.util.Set<Integer> kafka = new java.util.TreeSet<>(sandbox.primary().listenerPorts());
    kafka.addAll(sandbox.secondary().listenerPorts());
    java.util.Set<Integer> connect = new java.util.TreeSet<>();
    sandbox.description().processes().stream()
        .filter(p -> p.role().startsWith("connect-"))
        .forEach(p -> connect.addAll(p.ports()));
    StringBuilder served = new StringBuilder();
    for (String path :
        List.of("/api/tenants/shop/lag", "/api/tenants/shop/bootstrap", "/api/workflows")) {
      served.append(send("GET", path, null).body());
    }
    served.append(ControllerApi.metrics("https://127.0.0.1:" + port));
    int[] counts = new int[3];
    // A connection on no TLS port in any sample fails the test, not only in the last one.
    java.util.Set<String> offPort = java.util.concurrent.ConcurrentHashMap.newKeySet();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              java.util.Arrays.fill(counts, 0);
              var held = dev.kafkadr.testkit.net.ProcessConnections.established(controller.pid());
              for (var c : held) {
                if (kafka.contains(c.remotePort())) {
                  counts[0]++;
                } else if (connect.contains(c.remotePort())) {
                  counts[1]++;
                } else if (c.localPort() == port) {
                  counts[2]++;
                } else {
                  offPort.add(c.toString());
                }
              }
              assertThat(counts[0]).as("connections to the brokers").isPositive();
            });
    assertThat(offPort).as("connections on no TLS port").isEmpty();
    System.out.printf(
        "secured controller (PID %d): %d connections to broker TLS listeners, %d to Connect's"
            + " HTTPS REST API, %d to its own HTTPS API; none other%n",
        controller.pid(), counts[0], counts[1], counts[2]);
    Path storePassword = sandbox.tls().passwordFile();
    Map<String, String> secrets =
        Map.of(
            "the key stores' password", sandbox.tls().keyStorePassword(),
            "the Connect REST password", sandbox.connectRestCredentials().orElseThrow().password(),
            "the API and SCRAM password", SandboxTenants.PASSWORD);
    Path controllerFiles = Path.of(config.get("kdr.tenants-file")).getParent();
    for (var secret : secrets.entrySet()) {
      assertThat(served.toString())
          .as(secret.getKey() + " served")
          .doesNotContain(secret.getValue());
      for (Path dir : List.of(sandbox.workDir(), controllerFiles, work)) {
        var scan =
            dev.kafkadr.testkit.secrets.SecretScan.scan(
                dir,
                secret.getValue(),
                f ->
                    f.equals(storePassword)
                        || f.getFileName().toString().endsWith("-rest-users.properties"));
        assertThat(scan.holding()).as(secret.getKey() + " in " + dir).isEmpty();
      }
    }
  }

  /** Starts the controller; one started before and still running is stopped first (by PID). */
  private static void startController() throws Exception {
    if (controller != null) {
      controller.close();
    }
    controller =
        new ControllerProcess(
            ControllerProcess.inBuildTree(), port, config, work.resolve("controller.log"));
  }

  private static JsonNode post(String kind, boolean dryRun) throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/api/tenants/shop/workflows",
            JSON.writeValueAsString(Map.of("kind", kind, "dryRun", dryRun)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(dryRun ? 200 : 202);
    return JSON.readTree(r.body());
  }

  private static JsonNode awaitEnd(String id) {
    return ControllerApi.awaitEnd("https://127.0.0.1:" + port, id);
  }

  private static long registryEpoch() throws Exception {
    return registry().path("epoch").asLong();
  }

  private static JsonNode registry() throws Exception {
    return JSON.readTree(send("GET", "/api/tenants/shop/bootstrap", null).body());
  }

  /** The steps the journal shows done, in order (with repeats, if any). */
  private static List<String> doneSteps(Path journal) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(journal)) {
      try {
        JsonNode e = JSON.readTree(line);
        if ("step-done".equals(e.path("type").asText())) {
          out.add(e.path("step").asText());
        }
      } catch (java.io.IOException torn) {
        // a line being written
      }
    }
    return out;
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    return ControllerApi.send("https://127.0.0.1:" + port, method, path, body);
  }
}
