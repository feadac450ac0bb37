package dev.kafkadr.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller with its store on a real three-member etcd (Debian's etcd-server 3.4), through
 * jetcd inside the Quarkus application: a write read back, a lease whose key etcd deletes at its
 * TTL, a watch that sees both, and the leader key held by one replica at a time with fencing
 * tokens.
 */
@QuarkusTest
@QuarkusTestResource(value = EtcdResource.class, restrictToAnnotatedClass = true)
class EtcdStoreIT {

  @Inject EtcdStore store;
  @Inject Leadership leadership;

  @BeforeEach
  void etcdInstalled() {
    if (EtcdResource.missing != null) {
      Assumptions.abort(EtcdResource.missing);
    }
  }

  @Test
  void writesReadsTakesALeaseAndWatchesThroughJetcd() throws Exception {
    Client client = store.client().orElseThrow();
    ByteSequence key = bytes(store.key("probe"));
    List<String> seen = new CopyOnWriteArrayList<>();
    try (var watcher =
        client
            .getWatchClient()
            .watch(
                key,
                r ->
                    r.getEvents()
                        .forEach(
                            e ->
                                seen.add(
                                    e.getEventType()
                                        + (e.getEventType() == WatchEvent.EventType.PUT
                                            ? " " + e.getKeyValue().getValue().toString()
                                            : ""))))) {
      client.getKVClient().put(key, bytes("{\"version\":1}")).get(2, TimeUnit.SECONDS);
      assertThat(
              client
                  .getKVClient()
                  .get(key)
                  .get(2, TimeUnit.SECONDS)
                  .getKvs()
                  .get(0)
                  .getValue()
                  .toString())
          .isEqualTo("{\"version\":1}");
      long lease = client.getLeaseClient().grant(2).get(2, TimeUnit.SECONDS).getID();
      client
          .getKVClient()
          .put(key, bytes("{\"version\":2}"), PutOption.builder().withLeaseId(lease).build())
          .get(2, TimeUnit.SECONDS);
      long put = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> client.getKVClient().get(key).get(2, TimeUnit.SECONDS).getKvs().isEmpty());
      System.out.printf(
          "a key on a 2 s lease was gone after %d ms%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - put));
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
      assertThat(seen).containsExactly("PUT {\"version\":1}", "PUT {\"version\":2}", "DELETE");
    }
  }

  @Test
  void theControllerLeadsAndAnotherReplicaCannotTakeTheKey() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(leadership::leads);
    assertThat(leadership.leader().map(LeaderLease.Holder::replicaId))
        .contains(leadership.replicaId());
    try (LeaderLease other = store.leaderLease("replica-b", null)) {
      assertThat(other.campaign()).isFalse();
      assertThat(other.holder().orElseThrow().replicaId()).isEqualTo(leadership.replicaId());
    }
    assertThat(leadership.leads()).isTrue();
  }

  @Test
  void oneReplicaHoldsTheLeaderKeyAndADeposedOneCannotWrite() throws Exception {
    Client client = store.client().orElseThrow();
    try (LeaderLease a = lease("replica-a");
        LeaderLease b = lease("replica-b")) {
      assertThat(a.campaign()).isTrue();
      assertThat(b.campaign()).isFalse();
      long tokenA = a.token().orElseThrow();
      assertThat(a.holder())
          .contains(new LeaderLease.Holder("replica-a", "http://replica-a:8080", tokenA));
      assertThat(b.token()).isEmpty();
      assertThat(a.putIfLeader(store.key("registry/shop"), "epoch 1", tokenA)).isTrue();

      AtomicInteger vacancies = new AtomicInteger();
      b.onVacant(vacancies::incrementAndGet);
      // replica-a stops renewing (a pause): it stops acting a margin before etcd drops its key
      long stopped = System.nanoTime();
      await().atMost(Duration.ofSeconds(10)).until(() -> !a.holds());
      long stoppedActing = System.nanoTime() - stopped;
      await().atMost(Duration.ofSeconds(15)).until(() -> vacancies.get() > 0);
      assertThat(b.campaign()).isTrue();
      long takeover = System.nanoTime() - stopped;
      long tokenB = b.token().orElseThrow();
      System.out.printf(
          "replica-a stopped acting after %d ms, replica-b took over after %d ms (TTL 5 s)%n",
          TimeUnit.NANOSECONDS.toMillis(stoppedActing), TimeUnit.NANOSECONDS.toMillis(takeover));
      assertThat(stoppedActing).isLessThan(takeover);
      assertThat(tokenB).isGreaterThan(tokenA);

      assertThat(a.putIfLeader(store.key("registry/shop"), "epoch 2 from a", tokenA))
          .as("a write of the deposed leader")
          .isFalse();
      assertThat(b.putIfLeader(store.key("registry/shop"), "epoch 2", tokenB)).isTrue();
      assertThat(a.campaign()).as("the old leader's next turn").isFalse();
      assertThat(a.holds()).isFalse();
      assertThat(
              client
                  .getKVClient()
                  .get(bytes(store.key("registry/shop")))
                  .get(2, TimeUnit.SECONDS)
                  .getKvs()
                  .get(0)
                  .getValue()
                  .toString())
          .isEqualTo("epoch 2");
    }
  }

  /** A lease on a leader key of this test's own (the controller holds the real one). */
  private LeaderLease lease(String replica) {
    return new LeaderLease(
        store.client().orElseThrow(),
        store.key("test-leader"),
        replica,
        "http://" + replica + ":8080",
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        System::nanoTime);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
