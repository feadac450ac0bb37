package dev.kafkadr.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.client.RegistryWatcher;
import dev.kafkadr.sandbox.net.NetworkCut;
import dev.kafkadr.testkit.apps.TenantLoad;
import dev.kafkadr.testkit.history.History;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.AuthorizationException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix's row 14, split brain: the primary cut off (not killed) from the controller and
 * the copy, both in the secondary's region, while its own region's clients go on writing to it. The
 * failover cannot fence it; the tenant's application follows the registry to the secondary, and a
 * stale client that never looks at the registry goes on writing to the isolated primary. Healed:
 * the controller fences the old primary as soon as it reaches it, before any reconcile, and the
 * stale client's next send fails with an authorization error (not a hang); reconcile then counts
 * exactly the records the old primary holds that never reached the copy, as the history checker
 * counts them reading both clusters: the application's records written there after the cut (read
 * there too by its group before it moved, or not) plus every record the stale client was told was
 * written.
 */
@QuarkusTest
@QuarkusTestResource(value = WanTenants.class, restrictToAnnotatedClass = true)
class SplitBrainIT {

  /** Records a second asked of the tenant's application. */
  private static final double RATE = 2_200;

  /** Records the stale client writes to the isolated primary after the failover, at least. */
  private static final long WRITTEN_AFTER_FAILOVER = 2_000;

  @Test
  void anIsolatedPrimaryIsFencedOnItsReturnAndReconcileCountsEveryWriteItTook() throws Exception {
    if (NetworkCut.unavailable().isPresent() && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort(NetworkCut.unavailable().get());
    }
    Api.awaitLag("shop", l -> "RUNNING".equals(l.getString("flows[0].health.replication")));
    try (RegistryWatcher watcher = SandboxTenants.watch("shop");
        TenantLoad load =
            new TenantLoad(
                watcher,
                ShopTopic.TOPIC,
                "shop-app",
                "secondary",
                SecuredTenants.client(SecuredTenants.PRODUCER),
                SecuredTenants.client(SecuredTenants.CONSUMER),
                RATE)) {
      long started = System.nanoTime();
      await().atMost(Duration.ofSeconds(60)).until(() -> load.sent() >= 4_000);
      Api.awaitGroupSeen("shop", "shop-app", ShopTopic.TOPIC);
      StaleClient stale = new StaleClient();
      Cut cut;
      try {
        cut = failOverAcrossTheCut(load, stale);
      } catch (Exception | AssertionError e) {
        stale.close();
        throw e;
      }
      try (stale) {
        // the controller reaches the old primary: the fence comes first, without an operator
        await().atMost(Duration.ofSeconds(30)).until(() -> stale.refused() != null);
        double fencedAfter = (stale.refusedAt() - cut.healedAt()) / 1e9;
        assertThat(stale.refused())
            .as("the stale client's first refusal")
            .isInstanceOf(AuthorizationException.class);
        int atFence = load.sent();
        await().atMost(Duration.ofSeconds(30)).until(() -> load.sent() >= atFence + 2_000);
        double rate = load.acked() / ((System.nanoTime() - started) / 1e9);
        load.finish();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(load.failure()).isNull();
        var v = load.verdict();
        JsonPath done = cut.failover();
        long floor = done.getLong("facts.lossLowerBound");
        long mayReadAgain =
            done.getMap("facts.mayReadAgainByGroup", String.class, Long.class).get("shop-app");
        assertThat(v.lost())
            .as("against the reported floor: " + v.summary())
            .isGreaterThanOrEqualTo(floor);
        assertThat(v.readTwice()).as(v.summary()).isLessThanOrEqualTo(mayReadAgain);
        assertThat(v.outOfOrder()).as(v.summary()).isZero();
        assertThat(v.readButFailed()).as(v.summary()).isZero();
        Map<String, Object> fenced = fencedOnReturn(done.getString("id"));
        String counted = reconcileCountsWhatOnlyTheOldPrimaryHolds(load.history(), stale);
        System.out.printf(
            "row 14, split brain (%.0f acknowledged records/s): failover across the cut in %s ms,"
                + " old primary not fenced; reported at least %d lost; the stale client wrote %d"
                + " records to the isolated primary, its last %.1f s after the failover ended;"
                + " fenced %.1f s after the heal (%s), the stale client refused at its next send"
                + " (%s); %s; read twice %d (bound %d); wall %.1f s%n  %s%n",
            rate,
            done.getString("facts.rtoMillis"),
            floor,
            stale.acked(),
            stale.lastAckAfter(done.getString("finishedAt")),
            fencedAfter,
            fenced,
            stale.refused().getClass().getSimpleName(),
            counted,
            v.readTwice(),
            mayReadAgain,
            seconds,
            v.summary());
      }
    }
  }

  /** The failover run across the cut, and when the link was healed ({@link System#nanoTime()}). */
  private record Cut(JsonPath failover, long healedAt) {}

  /**
   * Cuts the primary's link, starts the stale client (none of its records can reach the copy) and
   * fails shop over; once the application writes and reads on the secondary, leaves the stale
   * client writing to the isolated primary for {@link #WRITTEN_AFTER_FAILOVER} more records, then
   * heals.
   */
  private static Cut failOverAcrossTheCut(TenantLoad load, StaleClient stale) throws Exception {
    JsonPath done;
    WanTenants.wan().cut();
    try {
      stale.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> stale.acked() >= 1_000);
      done = Api.awaitEnd(Api.start("shop", "failover"));
      assertThat(done.getString("state")).as(done.prettify()).isEqualTo("SUCCEEDED");
      assertThat(done.getBoolean("facts.oldFenced")).as("fenced across the cut").isFalse();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> load.firstProduced() != null && load.firstConsumed() != null);
      long atFailover = stale.acked();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> stale.acked() >= atFailover + WRITTEN_AFTER_FAILOVER);
      assertThat(stale.refused()).as("refused before the heal").isNull();
    } finally {
      WanTenants.wan().heal();
    }
    return new Cut(done, System.nanoTime());
  }

  /**
   * Reconcile's count (dry run) against the history checker's, which reads both clusters whole: the
   * application's records on the old primary that the copy lacks plus the stale client's records
   * there (each one it was told was written). Returns the line to print.
   */
  private static String reconcileCountsWhatOnlyTheOldPrimaryHolds(
      History history, StaleClient stale) throws InterruptedException {
    JsonPath report = reconcile();
    assertThat(report.getInt("fencesRaisedOnOldCluster"))
        .as("the fence was there before reconcile")
        .isZero();
    ShopTopic.readWhole(history, "primary");
    ShopTopic.readWhole(history, "secondary");
    var onlyOnOld = history.onlyIn("primary", "secondary");
    long staleOnOld = history.reader("primary").otherCount();
    assertThat(staleOnOld)
        .as("the stale client's records on the old primary: what it was told was written")
        .isEqualTo(stale.acked());
    long counted = report.getLong("missingOnNewCluster");
    assertThat(counted)
        .as(
            "reconcile's count: the application's records only on the old primary (%s) plus the"
                + " stale client's",
            onlyOnOld)
        .isEqualTo(onlyOnOld.total() + staleOnOld);
    return String.format(
        "reconcile counted %d = the checker's %d of the application only on the old primary + %d"
            + " of the stale client",
        counted, onlyOnOld.total(), staleOnOld);
  }

  /** The audit entry of the old cluster's fence on its return after failover {@code id}. */
  private static Map<String, Object> fencedOnReturn(String id) {
    List<Map<String, Object>> audit =
        Api.viewer().get("/api/audit").then().statusCode(200).extract().jsonPath().getList("$");
    var entry =
        audit.stream()
            .filter(e -> "fence old cluster on its return".equals(e.get("action")))
            .filter(e -> id.equals(e.get("failover")))
            .findFirst();
    assertThat(entry).as("the audit log's entry of the fence on return").isPresent();
    assertThat(entry.get()).containsEntry("cluster", "primary");
    assertThat(((Number) entry.get().get("fencesRaised")).intValue()).isPositive();
    return entry.get();
  }

  private static JsonPath reconcile() {
    return Api.operator()
        .body(Map.of("republish", false))
        .post("/api/tenants/shop/reconcile")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
