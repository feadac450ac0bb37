package dev.kafkadr.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.Client;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The etcd state store against a real three-member etcd: the store contract, every write
 * conditioned on the leader key, and a deposed leader's writes refused while the new leader's go
 * through.
 */
class EtcdStateStoreIT extends StateStoreContract {

  private static EtcdCluster etcd;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static Client client;
  private final List<LeaderLease> leases = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    if (EtcdCluster.find().isEmpty() && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort("etcd is not installed (apt-get install etcd-server etcd-client)");
    }
    etcd =
        EtcdCluster.start(
            Files.createTempDirectory("kdr-etcd-state"),
            EtcdCluster.DEFAULT_MEMBERS,
            Duration.ofSeconds(30));
    client = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @AfterEach
  void resign() {
    leases.forEach(LeaderLease::close);
  }

  /** A store under a fresh prefix, its replica holding that prefix's leader key. */
  @Override
  StateStore store() {
    String prefix = "/kdr-" + UUID.randomUUID() + "/";
    return storeAs(prefix, "replica-a", true);
  }

  private StateStore storeAs(String prefix, String replica, boolean lead) {
    LeaderLease lease = lease(prefix, replica);
    if (lead) {
      assertThat(lease.campaign()).isTrue();
    }
    return new EtcdStateStore(client, prefix, lease::token, prefix + "leader", TIMEOUT);
  }

  private LeaderLease lease(String prefix, String replica) {
    LeaderLease lease =
        new LeaderLease(
            client,
            prefix + "leader",
            replica,
            null,
            Duration.ofSeconds(3),
            Duration.ofMillis(500),
            TIMEOUT,
            System::nanoTime);
    leases.add(lease);
    return lease;
  }

  @Test
  void aReplicaWithoutTheLeaseCannotWrite() {
    String prefix = "/kdr-" + UUID.randomUUID() + "/";
    StateStore leader = storeAs(prefix, "replica-a", true);
    StateStore follower = storeAs(prefix, "replica-b", false);
    leader.put("registry/shop", "{\"epoch\":1}", 0);
    assertThat(follower.get("registry/shop").orElseThrow().version()).isEqualTo(1);
    assertThatThrownBy(() -> follower.put("registry/shop", "{\"epoch\":2}", 1))
        .isInstanceOf(StateStore.StaleWrite.class)
        .hasMessageContaining("does not hold the leader lease");
  }

  /**
   * Replica a keeps believing it leads (a paused process does not notice its lease end); once b
   * holds the leader key, a's writes carry a stale fencing token and etcd refuses them.
   */
  @Test
  void aDeposedLeadersWritesAreRefusedAndTheNewLeadersGoThrough() {
    String prefix = "/kdr-" + UUID.randomUUID() + "/";
    LeaderLease a = lease(prefix, "replica-a");
    assertThat(a.campaign()).isTrue();
    long tokenA = a.token().orElseThrow();
    StateStore asA =
        new EtcdStateStore(client, prefix, () -> Optional.of(tokenA), prefix + "leader", TIMEOUT);
    asA.append("wf-1", "{\"by\":\"a\"}", 0);
    a.resign(); // its lease ends, as at its TTL
    LeaderLease b = lease(prefix, "replica-b");
    await().atMost(Duration.ofSeconds(10)).until(b::campaign);
    StateStore asB = new EtcdStateStore(client, prefix, b::token, prefix + "leader", TIMEOUT);
    assertThatThrownBy(() -> asA.append("wf-1", "{\"by\":\"a, deposed\"}", 1))
        .isInstanceOf(StateStore.StaleWrite.class)
        .hasMessageContaining("fencing token " + tokenA + " is no longer the leader's")
        .hasMessageContaining("replica-b holds it");
    assertThatThrownBy(() -> asA.put("registry/shop", "{}", 0))
        .isInstanceOf(StateStore.StaleWrite.class)
        .hasMessageContaining("is no longer the leader's");
    // a follower's own observations are the one write it makes
    asA.observe("replica-a", "{\"by\":\"a, deposed\"}");
    assertThat(asB.list(StateStore.OBSERVATIONS).get("replica-a").value()).contains("deposed");
    asB.append("wf-1", "{\"by\":\"b\"}", 1);
    assertThat(asB.read("wf-1")).containsExactly("{\"by\":\"a\"}", "{\"by\":\"b\"}");
    assertThat(asB.get("registry/shop")).isEmpty();
  }

  /** A stopped replica's local state: a lock, a registry entry, a journal and the audit log. */
  private static java.nio.file.Path localState() throws Exception {
    java.nio.file.Path dir = Files.createTempDirectory("kdr-local-state");
    LocalStateStore local = new LocalStateStore(dir);
    local.put("locks/shop", "wf-1", 0);
    local.put("registry/shop", "{\"cluster\":\"secondary\",\"epoch\":3}", 0);
    local.put("registry/shop", "{\"cluster\":\"primary\",\"epoch\":4}", 1);
    local.append("wf-1", "{\"type\":\"created\"}", 0);
    local.append("wf-1", "{\"type\":\"step-done\",\"step\":\"preflight\"}", 1);
    local.append("audit", "{\"action\":\"start switchover\"}", 0);
    return dir;
  }

  @Test
  void aStoppedReplicasLocalStateMovesToEtcdAndReadsBackTheSame() throws Exception {
    java.nio.file.Path dir = localState();
    String prefix = "/kdr-" + UUID.randomUUID() + "/";
    StateStore target = storeAs(prefix, "migration", true);
    StoreMigration.Report r = StoreMigration.copy(new LocalStateStore(dir), target);
    assertThat(r.documents()).isEqualTo(2);
    assertThat(r.logs()).isEqualTo(2);
    assertThat(r.entries()).isEqualTo(3);
    assertThat(target.get("registry/shop").orElseThrow().value()).contains("\"epoch\":4");
    assertThat(target.read("wf-1")).hasSize(2);
    assertThatThrownBy(() -> StoreMigration.copy(new LocalStateStore(dir), target))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the target store already holds 4 of the source's documents and logs")
        .hasMessageContaining("nothing was copied");
  }

  @Test
  void kdrStoreMigrateCopiesOnlyWithNoControllerOnEitherStore() throws Exception {
    java.nio.file.Path dir = localState();
    String prefix = "/kdr-" + UUID.randomUUID() + "/";
    String[] args = {
      "migrate",
      "--from",
      "local",
      "--to",
      "etcd",
      "--journal-dir",
      dir.toString(),
      "--endpoints",
      etcd.endpointList(),
      "--prefix",
      prefix
    };
    JournalDirLock running = new JournalDirLock(dir, "HTTP port 8080");
    running.acquire();
    try {
      var refused = run(args);
      assertThat(refused.getKey()).isEqualTo(5);
      assertThat(refused.getValue()).contains("is in use by another controller or tool");
    } finally {
      running.release();
    }
    LeaderLease leader = lease(prefix, "replica-a");
    assertThat(leader.campaign()).isTrue();
    var led = run(args);
    assertThat(led.getKey()).isEqualTo(5);
    assertThat(led.getValue()).contains("a controller replica leads on etcd (replica-a)");
    leader.resign();

    var copied = run(args);
    System.out.println(copied.getValue());
    assertThat(copied.getKey()).as(copied.getValue()).isZero();
    assertThat(copied.getValue())
        .contains("copied 2 documents and 2 logs (3 entries,")
        .contains("read back and compared: identical");
    var again = run(args);
    assertThat(again.getKey()).isEqualTo(5);
    assertThat(again.getValue()).contains("already holds");
  }

  private static java.util.Map.Entry<Integer, String> run(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine cli = new picocli.CommandLine(new StoreCommand());
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(out, true));
    int code = cli.execute(args);
    return java.util.Map.entry(code, out.toString());
  }
}
