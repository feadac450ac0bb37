package dev.kafkadr.controller;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.client.RegistryWatcher;
import dev.kafkadr.testkit.apps.TenantLoad;
import dev.kafkadr.testkit.history.History;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The planned switchover and the failback on the sandbox, under continuous load from a tenant
 * application (SCRAM users held to their ACLs): an independent checker compares every acknowledged
 * record with what the consumer group read.
 */
@QuarkusTest
@QuarkusTestResource(value = SecuredTenants.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwitchoverIT {

  private static final String TOPIC = ShopTopic.TOPIC;

  /** Records a second the fault matrix's rows ask of the tenant's application. */
  private static final double MATRIX_RATE = 2_200;

  /** What the group read again after the failover, for reconcile to report. */
  private static long readAgainAfterFailover = -1;

  @jakarta.inject.Inject LagMonitor monitor;

  @Test
  @Order(1)
  void aDryRunShowsThePlanAndChangesNothing() {
    JsonPath plan =
        Api.operator()
            .body(Map.of("kind", "switchover", "dryRun", true))
            .post("/api/tenants/shop/workflows")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(plan.getString("state")).isEqualTo("PLANNED");
    assertThat(plan.getList("steps.name", String.class))
        .containsExactly(
            "created",
            "preflight",
            "guard-target",
            "fence-producers",
            "end-transactions",
            "drain",
            "verify-copy",
            "settle-consumers",
            "fence-consumers",
            "stop-forward-flow",
            "translate-offsets",
            "mark-switch-point",
            "unfence-target",
            "switch-traffic",
            "start-reverse-flow",
            "retire-forward-flow",
            "verify");
    assertThat(plan.getString("steps.find { it.name == 'fence-producers' }.detail"))
        .isEqualTo("would add 1 of 1 DENY ACLs ([PRODUCERS]) on primary");
    assertThat(plan.getString("steps.find { it.name == 'switch-traffic' }.detail"))
        .contains("dry run: would move the bootstrap registry of shop from primary to secondary");
    assertThat(registry().get("cluster")).isEqualTo("primary");

    var cli = kdr("switchover", "--tenant", "shop", "--dry-run");
    assertThat(cli.getKey()).as(cli.getValue()).isZero();
    assertThat(cli.getValue())
        .contains(
            "switchover of shop: primary -> secondary", "fence-producers", "nothing was changed");
    assertThat(kdr("switchover", "--tenant", "nobody", "--dry-run").getKey()).isEqualTo(2);
    assertThat(registry().get("cluster")).isEqualTo("primary");
  }

  @Test
  @Order(2)
  void aSwitchoverUnderLoadLosesNothingReadsNothingTwiceAndKeepsOrder() throws Exception {
    runUnderLoad("switchover", "secondary");
    // kdr config apply must not undo it: the reverse flow is not in the file, and is kept.
    var plan =
        Kdr.run(
            "config",
            "plan",
            "-f",
            org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("kdr.tenants-file", String.class),
            "--connect",
            SandboxTenants.sandbox.connectRestUrl(),
            "--connect-user",
            SandboxTenants.sandbox.connectRestCredentials().orElseThrow().user(),
            "--connect-password-file",
            connectPasswordFile().toString(),
            "--connect-truststore",
            SandboxTenants.sandbox.connectRestTrust().orElseThrow().toString());
    assertThat(plan.getKey()).as(plan.getValue()).isZero();
    assertThat(plan.getValue())
        .contains("= keep   shop.secondary-to-primary.source", "0 to delete");
  }

  @Test
  @Order(3)
  void aFailbackBringsTheTenantHomeTheSameWay() throws Exception {
    runUnderLoad("failback", "primary");
  }

  /**
   * A switchover drill under live traffic: a real switchover and failback; the RPO and RTO its
   * signed report states are those the history checker saw (records lost; the time from the last
   * write the old cluster acknowledged to the first the new one did).
   */
  @Test
  @Order(5)
  void aSwitchoverDrillUnderLoadReportsTheRpoAndRtoTheHistoryCheckerSaw() throws Exception {
    assertThat(registry().get("cluster")).isEqualTo("primary");
    try (RegistryWatcher watcher = SandboxTenants.watch("shop");
        TenantLoad load = shopLoad(watcher, "secondary")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> load.sent() >= 300);
      var cli = kdr("drill", "--tenant", "shop", "--kind", "switchover", "--yes");
      assertThat(cli.getKey()).as(cli.getValue()).isZero();
      String id = startedId(cli.getValue());
      JsonPath run = Api.awaitEnd(id);
      assertThat(run.getString("state")).as(run.prettify()).isEqualTo("SUCCEEDED");
      assertThat(registry().get("cluster")).as("failed back home").isEqualTo("primary");
      int home = load.sent();
      await().atMost(Duration.ofSeconds(60)).until(() -> load.sent() >= home + 200);
      load.finish();
      var verdict = clean(load, List.of());
      JsonPath report =
          Api.viewer().get("/api/drills/" + id).then().statusCode(200).extract().jsonPath();
      var outage = load.history().outage("primary", "secondary");
      long reported = report.getLong("checks.rtoAchieved.millis");
      System.out.printf(
          "switchover drill under load (%d records acknowledged, %.0f rec/s): report RPO %d"
              + " records, RTO %d ms (budget %d s), failback %d ms; history checker: %d lost,"
              + " %d read twice, writes acknowledged by neither cluster for %d ms%n%s%n",
          verdict.acknowledged(),
          TenantLoad.DEFAULT_RATE,
          report.getLong("checks.rpoAchieved.records"),
          reported,
          report.getLong("checks.rtoAchieved.budgetSeconds"),
          report.getLong("checks.failback.rtoMillis"),
          verdict.lost(),
          verdict.readTwice(),
          outage.millis(),
          cli.getValue());
      assertThat(report.getString("kind")).isEqualTo("switchover");
      assertThat(
              Api.viewer()
                  .get("/api/drills/" + id + "/html")
                  .then()
                  .statusCode(200)
                  .extract()
                  .asString())
          .contains(
              "<td id=\"rpo-achieved\">0</td>",
              "<td id=\"rto-achieved\">" + reported + " ms (budget 300 s)");
      assertThat(report.getBoolean("passed")).as(report.prettify()).isTrue();
      assertThat(report.getLong("checks.rpoAchieved.records")).isEqualTo(verdict.lost()).isZero();
      assertThat(report.getLong("checks.rpoAchieved.recordsLostByTheSwitchoversOwnCheck")).isZero();
      // The clients' outage sits within what the report measured, give or take the registry
      // watcher's reaction (it polls every 1 s) and one produce retry.
      long fenced = Instant.parse(report.getString("checks.rtoAchieved.fencedAt")).toEpochMilli();
      long switched =
          Instant.parse(report.getString("checks.rtoAchieved.switchedAt")).toEpochMilli();
      assertThat(switched - fenced).isEqualTo(reported);
      assertThat(outage.lastOnFrom() / 1000).isBetween(fenced - 1_000, switched);
      assertThat(outage.firstOnTo() / 1000).isBetween(fenced, switched + 2_500);
      assertThat(Math.abs(outage.millis() - reported)).isLessThanOrEqualTo(2_500);
      assertThat(
              Api.viewer()
                  .get("/q/metrics")
                  .asString()
                  .lines()
                  .filter(l -> l.startsWith("kdr_drill_rto_seconds{kind=\"drill-switchover\""))
                  .findFirst())
          .hasValueSatisfying(l -> assertThat(l).endsWith(" " + reported / 1000.0));
    }
  }

  /**
   * A switchover drill whose RTO budget is shorter than the switchover takes rolls back before its
   * switch point: the tenant stays home, no fence is left, and the signed report says why.
   */
  @Test
  @Order(6)
  void aSwitchoverDrillPastItsRtoBudgetRollsBackAndSaysSo() {
    Map<String, Object> fencesBefore = denies();
    var cli =
        kdr("drill", "--tenant", "shop", "--kind", "switchover", "--rto-budget", "1", "--yes");
    System.out.println(cli.getValue());
    assertThat(cli.getKey()).as(cli.getValue()).isNotZero();
    assertThat(cli.getValue()).contains("the RTO budget of 1 s ran out before the switch point");
    String id = startedId(cli.getValue());
    JsonPath run = Api.viewer().get("/api/workflows/" + id).jsonPath();
    assertThat(run.getString("state")).as(run.prettify()).isEqualTo("ROLLED_BACK");
    assertThat(run.getString("steps.find { it.name == 'fence-producers' }.state"))
        .isEqualTo("COMPENSATED");
    assertThat(registry().get("cluster")).isEqualTo("primary");
    // as before the drill: none on primary; on secondary, the fence the last failback left
    assertThat(denies()).as("DENY ACLs after the rollback").isEqualTo(fencesBefore);
    System.out.println("DENY ACLs before and after the rolled-back drill: " + fencesBefore);
    JsonPath report =
        Api.viewer().get("/api/drills/" + id).then().statusCode(200).extract().jsonPath();
    assertThat(report.getBoolean("passed")).isFalse();
    assertThat(report.getString("checks.switchover.failures[0]"))
        .contains("RTO budget of 1 s ran out", "rolled back, the tenant stays on primary");
    assertThat(report.getBoolean("checks.switchover.switched")).isFalse();
  }

  private void runUnderLoad(String kind, String to) throws Exception {
    runUnderLoad(kind, to, TenantLoad.DEFAULT_RATE, List.of());
  }

  /**
   * Runs a workflow of {@code kind} to {@code to} under {@code rate} records a second and asserts
   * the load's verdict: nothing lost, read twice or out of order; of earlier runs' records, the
   * group reads exactly {@code others}.
   */
  private void runUnderLoad(String kind, String to, double rate, List<String> others)
      throws Exception {
    try (RegistryWatcher watcher = SandboxTenants.watch("shop");
        TenantLoad load = shopLoad(watcher, to, rate)) {
      long started = System.nanoTime();
      await().atMost(Duration.ofSeconds(60)).until(() -> load.sent() >= Math.max(300, rate * 2));

      Instant trigger = Instant.now();
      JsonPath done;
      if ("failback".equals(kind)) {
        // the operator's command, end to end: confirmation skipped, progress followed
        var cli = kdr("failback", "--tenant", "shop", "--yes");
        assertThat(cli.getKey()).as(cli.getValue()).isZero();
        assertThat(cli.getValue())
            .contains(
                "ok  verify",
                "failback of shop done: RPO 0 records lost (measured after the drain); RTO");
        String id =
            cli.getValue()
                .lines()
                .filter(l -> l.startsWith("started "))
                .findFirst()
                .orElseThrow()
                .substring("started ".length());
        done = Api.awaitEnd(id);
      } else {
        String id = Api.start("shop", kind);
        // a second request for the same tenant while the first runs is refused
        Api.operator()
            .body(Map.of("kind", kind))
            .post("/api/tenants/shop/workflows")
            .then()
            .statusCode(409);
        done = Api.awaitEnd(id);
      }
      assertThat(done.getString("state")).as(done.prettify()).isEqualTo("SUCCEEDED");
      await().atMost(Duration.ofSeconds(60)).until(() -> load.firstProduced() != null);
      int atSwitch = load.sent();
      await().atMost(Duration.ofSeconds(30)).until(() -> load.sent() >= atSwitch + 200);
      double ackedRate = load.acked() / ((System.nanoTime() - started) / 1e9);
      load.finish();
      double seconds = (System.nanoTime() - started) / 1e9;

      var verdict = clean(load, others);
      assertThat(registry().get("cluster")).isEqualTo(to);
      awaitMeasuredFrom(to);
      StringBuilder steps = new StringBuilder();
      for (Map<String, Object> s : done.<Map<String, Object>>getList("steps")) {
        steps.append(
            String.format("  %-20s %6s ms  %s%n", s.get("name"), s.get("millis"), s.get("detail")));
      }
      System.out.printf(
          "%s to %s under load: %d records acknowledged (%.0f/s), 0 lost, 0 read twice, order"
              + " kept, %d of earlier runs read once; trigger -> traffic switched %s ms, ->"
              + " workflow done %s ms, -> first produce on %s %d ms; wall %.1f s%n%s",
          kind,
          to,
          verdict.acknowledged(),
          ackedRate,
          others.size(),
          done.getString("facts.trafficSwitchedMillis"),
          done.getString("facts.rtoMillis"),
          to,
          Duration.between(trigger, load.firstProduced()).toMillis(),
          seconds,
          steps);
    }
  }

  @Test
  @Order(4)
  void nobodyAnonymousAndEveryRoleOnlyItsOwnAndEveryRefusalAudited() {
    io.restassured.RestAssured.authentication = io.restassured.RestAssured.DEFAULT_AUTH;
    given()
        .get("/api/tenants")
        .then()
        .statusCode(401)
        .header(
            "WWW-Authenticate",
            org.hamcrest.Matchers.containsStringIgnoringCase("basic realm=\"kafka-dr\""));
    given().get("/").then().statusCode(401);
    given().get("/q/metrics").then().statusCode(401);
    given().get("/q/health/ready").then().statusCode(200);
    given()
        .auth()
        .preemptive()
        .basic(SandboxTenants.VIEWER, "not-the-password")
        .get("/api/tenants")
        .then()
        .statusCode(401);
    given()
        .auth()
        .preemptive()
        .basic(SandboxTenants.CLIENT, SandboxTenants.PASSWORD)
        .get("/api/tenants")
        .then()
        .statusCode(403);
    given()
        .auth()
        .preemptive()
        .basic(SandboxTenants.CLIENT, SandboxTenants.PASSWORD)
        .accept("text/plain")
        .get("/api/tenants/shop/bootstrap")
        .then()
        .statusCode(200);
    given()
        .auth()
        .preemptive()
        .basic(SandboxTenants.VIEWER, SandboxTenants.PASSWORD)
        .contentType("application/json")
        .body("{\"kind\": \"switchover\", \"dryRun\": true}")
        .post("/api/tenants/shop/workflows")
        .then()
        .statusCode(403);

    List<Map<String, Object>> audit =
        given()
            .auth()
            .preemptive()
            .basic(SandboxTenants.OPERATOR, SandboxTenants.PASSWORD)
            .get("/api/audit")
            .jsonPath()
            .getList("$");
    assertThat(audit)
        .anySatisfy(
            e ->
                assertThat(e)
                    .containsEntry("actor", "anonymous")
                    .containsEntry("action", "GET /api/tenants")
                    .containsEntry("error", "not authenticated"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .containsEntry("actor", SandboxTenants.CLIENT)
                    .containsEntry("action", "GET /api/tenants")
                    .containsEntry("error", "role missing"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .containsEntry("actor", SandboxTenants.VIEWER)
                    .containsEntry("action", "POST /api/tenants/shop/workflows"));
    assertThat(audit.toString()).doesNotContain(SandboxTenants.PASSWORD, "not-the-password");
    assertThat(audit)
        .anySatisfy(
            e ->
                assertThat(e)
                    .containsEntry("action", "end switchover")
                    .containsEntry("actor", SandboxTenants.OPERATOR)
                    .containsEntry("state", "SUCCEEDED")
                    .containsEntry("recordsLost", 0));
  }

  @Test
  @Order(4)
  void workflowMetricsShowEachRunItsStepsAndTheRpoAndRtoAchieved() {
    String metrics =
        given()
            .auth()
            .preemptive()
            .basic(SandboxTenants.VIEWER, SandboxTenants.PASSWORD)
            .get("/q/metrics")
            .asString();
    assertThat(metrics)
        .contains(
            "kdr_workflow_rto_seconds{kind=\"switchover\",tenant=\"shop\"}",
            "kdr_workflow_records_lost{kind=\"failback\",tenant=\"shop\"} 0.0",
            "kdr_workflow_step_duration_seconds_count{kind=\"switchover\",step=\"drain\"} 1.0",
            "kdr_workflow_duration_seconds_count{kind=\"failback\",outcome=\"succeeded\"} 1.0");
  }

  /**
   * Unplanned: replication paused (so that records are at risk), the primary killed; the records
   * lost are exactly the data at risk the controller reported. The group read 25 copied records on
   * the primary after the controller last saw its position: it reads those again on the secondary,
   * as many as the controller said it might.
   */
  @Test
  @Order(7)
  void anUnplannedFailoverLosesExactlyTheReportedDataAtRisk() throws Exception {
    assertThat(registry().get("cluster")).isEqualTo("primary");
    String source = "shop.primary-to-secondary.source";
    var connect = SandboxTenants.sandbox.connect();
    await().atMost(Duration.ofSeconds(60)).until(() -> connect.status(source).isRunning());
    List<String> copied = ShopTopic.produceOnPrimary("again-", 25);
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreException(NullPointerException.class)
        .until(() -> lag().getLong("flows[0].lagRecords") == 0);
    connect.pauseRunning(source, Duration.ofSeconds(30));
    List<String> atRisk = ShopTopic.produceOnPrimary("risk-", 37);
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreException(NullPointerException.class)
        .until(() -> lag().getLong("flows[0].lagRecords") == 37);
    Map<String, Long> committed = ShopTopic.commitThenKillThePrimary(monitor);

    var plan = kdr("failover", "--tenant", "shop", "--dry-run");
    assertThat(plan.getKey()).as(plan.getValue()).isZero();
    assertThat(plan.getValue()).contains("37 records not copied to secondary");
    JsonPath done = Api.awaitEnd(Api.start("shop", "failover"));
    assertThat(done.getString("state")).as(done.prettify()).isEqualTo("SUCCEEDED");
    assertThat(done.getLong("facts.dataAtRisk")).isEqualTo(37);
    // Measured once the forward flow stopped: exactly the 37 the copy never got.
    assertThat(done.getLong("facts.lossLowerBound")).isEqualTo(37);
    assertThat(done.getLong("facts.recordsLostAtLeast")).isEqualTo(37);
    assertThat(done.getBoolean("facts.oldFenced")).isFalse();
    assertThat(registry().get("cluster")).isEqualTo("secondary");
    // Translated from the positions before the commit (the usual case), the group reads the 25
    // again; had the last scan seen the commit after all, nothing.
    boolean commitSeen =
        ShopTopic.translatedFromCommit(done.getMap("facts.translatedOffsets"), committed);
    readAgainAfterFailover = commitSeen ? 0 : copied.size();

    // What the secondary holds of the tenant: none of the 37, everything else.
    List<String> onSecondary = ShopTopic.readSecondary();
    assertThat(onSecondary).doesNotContainAnyElementsOf(atRisk).isNotEmpty();

    // The group resumes on the secondary where the controller last saw it: it reads again the
    // copies it had read after that, and everything new there once.
    try (RegistryWatcher watcher = SandboxTenants.watch("shop");
        TenantLoad load = shopLoad(watcher, "secondary")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> load.sent() >= 100);
      load.finish();
      assertThat(load.failure()).isNull();
      var verdict = load.verdict();
      assertThat(verdict.lost()).as(verdict.summary()).isZero();
      assertThat(verdict.readTwice()).as(verdict.summary()).isZero();
      assertThat(verdict.distinctRead()).as(verdict.summary()).isEqualTo(verdict.acknowledged());
      assertThat(load.others())
          .as("read again")
          .containsExactlyInAnyOrderElementsOf(commitSeen ? List.of() : copied);
    }
    // Here the bound is exact: nothing else had been copied past the group's last seen position.
    assertThat(done.getMap("facts.mayReadAgainByGroup", String.class, Long.class))
        .containsEntry("shop-app", readAgainAfterFailover);
    System.out.printf(
        "failover (primary killed): data at risk reported %d, lost %d; read again %d (bound"
            + " reported %s); trigger -> traffic switched %s ms, -> workflow done %s ms%n",
        done.getLong("facts.dataAtRisk"),
        atRisk.size(),
        readAgainAfterFailover,
        done.getMap("facts.mayReadAgainByGroup"),
        done.getString("facts.trafficSwitchedMillis"),
        done.getString("facts.rtoMillis"));
  }

  /**
   * The killed primary comes back: reconcile reports exactly the 37 records it holds that the
   * secondary lacks and the records the group read again, publishes the 37 again once, refuses to
   * do it twice, and starts the flow back; then a failback brings the tenant home.
   */
  @Test
  @Order(8)
  void reconcileFindsExactlyTheLostRecordsOnTheReturnedClusterAndPublishesThemOnce()
      throws Exception {
    for (var node : SandboxTenants.sandbox.primary().nodes()) {
      SandboxTenants.sandbox.restart(node.role());
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () -> {
              try (var admin =
                  org.apache.kafka.clients.admin.Admin.create(
                      SandboxTenants.sandbox.primary().adminConfig())) {
                return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().size() == 1;
              }
            });

    var report = kdr("reconcile", "--tenant", "shop", "--dry-run");
    assertThat(report.getKey()).as(report.getValue()).isZero();
    assertThat(report.getValue())
        .contains(
            "primary holds 37 records secondary lacks",
            // what the group committed on the primary past the position the failover translated,
            // up to what was copied: what the consumer above read again
            "read a second time on secondary: {\"shop-app\":" + readAgainAfterFailover + "}");
    assertThat(ShopTopic.readSecondary()).noneMatch(v -> v.startsWith("risk-"));

    var published = kdr("reconcile", "--tenant", "shop", "--yes");
    assertThat(published.getKey()).as(published.getValue()).isZero();
    assertThat(published.getValue())
        .contains(
            "37 records published again on secondary",
            "flow back: shop.secondary-to-primary running from the switch point");
    List<String> onSecondary = ShopTopic.readSecondary();
    assertThat(onSecondary.stream().filter(v -> v.startsWith("risk-")).sorted().toList())
        .hasSize(37)
        .doesNotHaveDuplicates();

    assertThat(kdr("reconcile", "--tenant", "shop", "--yes").getKey()).isEqualTo(5);

    // The way back runs (the 37, which came from the primary, are not copied back to it): the
    // tenant goes home under load, the fault matrix's row 18. The group, on the secondary, first
    // reads the 37 reconcile published there (records of an earlier run, for this load), once.
    awaitMeasuredFrom("secondary");
    runUnderLoad(
        "failback",
        "primary",
        MATRIX_RATE,
        onSecondary.stream().filter(v -> v.startsWith("risk-")).toList());
  }

  /**
   * The fault matrix's row 13: a failover to the secondary under load (the primary still answers,
   * so it is fenced), reconcile (it publishes again what the copy lacked and starts the flow back),
   * then at once a second failover, back to the primary, while that way back is new. Each
   * failover's reported loss is a floor of what the history checker saw lost and reconcile counts
   * it exactly; the group reads again no more than reported, nothing out of order.
   */
  @Test
  @Order(9)
  void aSecondFailoverRightAfterTheFirstReportsItsLossTruthfully() throws Exception {
    assertThat(registry().get("cluster")).isEqualTo("primary");
    long onlyOnPrimary = failoverUnderLoad("primary", "secondary", 0, false);
    reconcileCounts("primary", "secondary", onlyOnPrimary);
    // the way back runs and has copied what was written on the secondary since the switch; the
    // group's first reads there are the records reconcile published
    Api.awaitLag("shop", l -> "secondary".equals(l.getString("flows[0].source")));
    awaitMeasuredFrom("secondary");
    Api.awaitLag("shop", l -> l.getLong("flows[0].lagRecords") == 0);
    long onlyOnSecondary = failoverUnderLoad("secondary", "primary", onlyOnPrimary, true);
    reconcileCounts("secondary", "primary", onlyOnSecondary);
    assertThat(registry().get("cluster")).isEqualTo("primary");
  }

  /**
   * Fails shop over from {@code from} to {@code to} (both up: the old one is fenced) while its
   * application writes {@link #MATRIX_RATE} records a second, judges the load and prints the matrix
   * row. With {@code behind}, the flow from {@code from} is paused for two seconds of writes first,
   * so that the copy is behind when the failover starts.
   *
   * @param othersExpected records of earlier runs the group reads first
   * @return the history checker's count of the load's records {@code from} holds and {@code to}
   *     lacks (both read whole)
   */
  private static long failoverUnderLoad(String from, String to, long othersExpected, boolean behind)
      throws Exception {
    try (RegistryWatcher watcher = SandboxTenants.watch("shop");
        TenantLoad load = shopLoad(watcher, to, MATRIX_RATE)) {
      long started = System.nanoTime();
      await().atMost(Duration.ofSeconds(60)).until(() -> load.sent() >= 4_000);
      Api.awaitGroupSeen("shop", "shop-app", ShopTopic.TOPIC);
      if (behind) {
        SandboxTenants.sandbox
            .connect()
            .pauseRunning("shop." + from + "-to-" + to + ".source", Duration.ofSeconds(30));
        int paused = load.sent();
        await().atMost(Duration.ofSeconds(30)).until(() -> load.sent() >= paused + 4_000);
      }
      JsonPath done = Api.awaitEnd(Api.start("shop", "failover"));
      assertThat(done.getString("state")).as(done.prettify()).isEqualTo("SUCCEEDED");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> load.firstProduced() != null && load.firstConsumed() != null);
      int atSwitch = load.sent();
      await().atMost(Duration.ofSeconds(30)).until(() -> load.sent() >= atSwitch + 4_000);
      double rate = load.acked() / ((System.nanoTime() - started) / 1e9);
      load.finish();
      double seconds = (System.nanoTime() - started) / 1e9;
      assertThat(load.failure()).isNull();
      assertThat(registry().get("cluster")).isEqualTo(to);
      var v = load.verdict();
      long onlyOnOld = onlyOn(load.history(), from, to);
      long floor = done.getLong("facts.lossLowerBound");
      long mayReadAgain =
          done.getMap("facts.mayReadAgainByGroup", String.class, Long.class).get("shop-app");
      assertThat(onlyOnOld)
          .as("records only on the old cluster, against the reported floor")
          .isGreaterThanOrEqualTo(floor);
      assertThat(v.lost())
          .as("acknowledged, never read: " + v.summary())
          .isLessThanOrEqualTo(onlyOnOld);
      assertThat(v.readTwice()).as("read twice: " + v.summary()).isLessThanOrEqualTo(mayReadAgain);
      assertThat(v.outOfOrder()).as(v.summary()).isZero();
      assertThat(v.readButFailed()).as(v.summary()).isZero();
      assertThat(v.others())
          .as("records of earlier runs read: " + load.others())
          .isEqualTo(othersExpected);
      System.out.printf(
          "row 13, failover %s -> %s under load (%.0f acknowledged records/s%s): reported at least"
              + " %d lost, the checker finds %d only on %s (%d of them never read by the group);"
              + " read twice %d (bound %d); out of order 0; trigger -> traffic switched %s ms, ->"
              + " workflow done %s ms; wall %.1f s%n  %s%n",
          from,
          to,
          rate,
          behind ? ", the copy paused for 4,000 records first" : "",
          floor,
          onlyOnOld,
          from,
          v.lost(),
          v.readTwice(),
          mayReadAgain,
          done.getString("facts.trafficSwitchedMillis"),
          done.getString("facts.rtoMillis"),
          seconds,
          v.summary());
      return onlyOnOld;
    }
  }

  /**
   * The history checker's count of the records of its run that cluster {@code old} holds and {@code
   * now} lacks, reading the tenant's topic on both whole.
   */
  private static long onlyOn(History history, String old, String now) throws Exception {
    ShopTopic.readWhole(history, old);
    ShopTopic.readWhole(history, now);
    return history.onlyIn(old, now).total();
  }

  /**
   * Reconciles shop after a failover from {@code old} to {@code now}: it must find exactly {@code
   * lost} records on the old cluster the new one lacks, publish them again and start the flow back.
   */
  private static void reconcileCounts(String old, String now, long lost) {
    var dry = kdr("reconcile", "--tenant", "shop", "--dry-run");
    assertThat(dry.getKey()).as(dry.getValue()).isZero();
    assertThat(dry.getValue()).contains(old + " holds " + lost + " records " + now + " lacks");
    var done = kdr("reconcile", "--tenant", "shop", "--yes");
    assertThat(done.getKey()).as(done.getValue()).isZero();
    assertThat(done.getValue())
        .contains(
            lost + " records published again on " + now,
            "flow back: shop." + now + "-to-" + old + " running from the switch point");
    System.out.printf(
        "reconcile after the failover to %s: %d records published again%n", now, lost);
  }

  /** The load's verdict, asserted: nothing lost, read twice, out of order, failed but read. */
  private static dev.kafkadr.testkit.history.Verdict clean(TenantLoad load, List<String> others) {
    assertThat(load.failure()).isNull();
    var v = load.verdict();
    assertThat(v.lost()).as("acknowledged records never consumed: " + v.summary()).isZero();
    assertThat(v.readTwice()).as("records consumed twice: " + v.summary()).isZero();
    assertThat(load.others())
        .as("records of earlier loads read")
        .containsExactlyInAnyOrderElementsOf(others);
    assertThat(v.outOfOrder()).as("records of a key out of order: " + v.summary()).isZero();
    assertThat(v.readButFailed()).as("records read that failed: " + v.summary()).isZero();
    return v;
  }

  /**
   * The tenant's data at risk is on the flow out of the cluster its clients are on: that is the
   * flow measured, running, once the workflow started it.
   */
  private static void awaitMeasuredFrom(String cluster) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              JsonPath l = lag();
              return cluster.equals(l.getString("flows[0].source"))
                  && l.getString("flows[0].problem") == null
                  && "RUNNING".equals(l.getString("flows[0].health.replication"));
            });
  }

  private static JsonPath lag() {
    return Api.viewer().get("/api/tenants/shop/lag").jsonPath();
  }

  /** Runs {@code kdr <args>} as the operator; returns its exit code and what it printed. */
  private static Map.Entry<Integer, String> kdr(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--controller",
            "http://127.0.0.1:" + io.restassured.RestAssured.port,
            "--user",
            SandboxTenants.OPERATOR));
    if (!"reconcile".equals(args[0])) {
      all.addAll(List.of("--poll-ms", "100"));
    }
    return Kdr.run(all.toArray(String[]::new));
  }

  /** The shop application's load (group shop-app), timing its first write to {@code movedTo}. */
  private static TenantLoad shopLoad(RegistryWatcher watcher, String movedTo) {
    return shopLoad(watcher, movedTo, TenantLoad.DEFAULT_RATE);
  }

  /** The same at {@code rate} records a second. */
  private static TenantLoad shopLoad(RegistryWatcher watcher, String movedTo, double rate) {
    return new TenantLoad(
        watcher,
        TOPIC,
        "shop-app",
        movedTo,
        SecuredTenants.client(SecuredTenants.PRODUCER),
        SecuredTenants.client(SecuredTenants.CONSUMER),
        rate);
  }

  /** The DENY ACLs on each cluster, by alias. */
  private static Map<String, Object> denies() {
    Map<String, Object> out = new java.util.TreeMap<>();
    for (var cluster :
        List.of(SandboxTenants.sandbox.primary(), SandboxTenants.sandbox.secondary())) {
      try (var admin = org.apache.kafka.clients.admin.Admin.create(cluster.adminConfig())) {
        out.put(
            cluster.name(),
            admin
                .describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY)
                .values()
                .get(30, java.util.concurrent.TimeUnit.SECONDS)
                .stream()
                .filter(
                    b ->
                        b.entry().permissionType()
                            == org.apache.kafka.common.acl.AclPermissionType.DENY)
                .map(Object::toString)
                .sorted()
                .toList());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  private static String startedId(String printed) {
    return printed
        .lines()
        .filter(l -> l.startsWith("started "))
        .findFirst()
        .orElseThrow()
        .substring("started ".length());
  }

  private static Map<String, Object> registry() {
    return Api.viewer()
        .accept("application/json")
        .get("/api/tenants/shop/bootstrap")
        .jsonPath()
        .getMap("$");
  }

  /** The sandbox's Connect REST password in a file of mode 600, as an operator keeps it. */
  private static java.nio.file.Path connectPasswordFile() throws java.io.IOException {
    java.nio.file.Path file =
        java.nio.file.Files.createTempFile(
            "connect-rest",
            ".password",
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    file.toFile().deleteOnExit();
    java.nio.file.Files.writeString(
        file, SandboxTenants.sandbox.connectRestCredentials().orElseThrow().password());
    return file;
  }
}
