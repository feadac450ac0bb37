package dev.kafkadr.controller;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Each team sees its own tenant only: a user of tenant {@code acme} finds tenant {@code other}
 * nowhere. Every tenant-scoped endpoint the controller's OpenAPI document lists is called for
 * {@code other} (and for one of its workflows and drills) and answers 404 exactly as for a tenant
 * that does not exist; every whole-service list names {@code acme} only; the metrics, the audit log
 * and the status page likewise. Last, password guessing against a user of its own: slowed before
 * hashing, audited, and never locking the user out.
 */
@QuarkusTest
@QuarkusTestResource(value = TeamTenants.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeamViewIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Path parameters that name a tenant, and those that name a workflow (drills are workflows). */
  private static final Set<String> TENANT_PARAMETERS = Set.of("tenant");

  private static final Set<String> WORKFLOW_PARAMETERS = Set.of("workflow", "drill");

  private static String otherDrill;
  private static String acmeDrill;

  /** The drills the other tests look for (RestAssured knows the port only once a test runs). */
  @Test
  @Order(0)
  void eachTenantHasAWorkflowAndADrillReport() {
    otherDrill = Api.start("other", "drill-verify");
    acmeDrill = Api.start("acme", "drill-verify");
    assertThat(Api.awaitEnd(otherDrill).getString("state")).isNotIn("RUNNING", "ROLLING_BACK");
    assertThat(Api.awaitEnd(acmeDrill).getString("state")).isNotIn("RUNNING", "ROLLING_BACK");
  }

  private static RequestSpecification as(String user) {
    return given()
        .auth()
        .preemptive()
        .basic(user, SandboxTenants.PASSWORD)
        .contentType("application/json");
  }

  /** Requests with a bearer token of {@link TeamTenants#issuer} carrying {@code groups}. */
  private static RequestSpecification bearer(String... groups) {
    String token =
        TeamTenants.issuer.token("team-member", List.of(groups), java.time.Duration.ofMinutes(5));
    return given().auth().oauth2(token).contentType("application/json");
  }

  private static Response call(String user, String method, String path) {
    return call(as(user), method, path);
  }

  private static Response call(RequestSpecification caller, String method, String path) {
    RequestSpecification request = caller;
    if (!"get".equals(method)) {
      request = request.body("{}");
    }
    return request.request(method.toUpperCase(java.util.Locale.ROOT), path);
  }

  /** Every operation of the OpenAPI document: method and path template. */
  private static List<String[]> operations() throws Exception {
    JsonNode doc =
        JSON.readTree(
            Api.viewer()
                .queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    List<String[]> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> p = doc.path("paths").fields(); p.hasNext(); ) {
      var path = p.next();
      path.getValue().fieldNames().forEachRemaining(m -> out.add(new String[] {m, path.getKey()}));
    }
    assertThat(out).as("operations in the OpenAPI document").hasSizeGreaterThan(10);
    return out;
  }

  /** The path with its parameters set for {@code tenant} and its drill {@code drill}. */
  private static String fill(String template, String tenant, String drill) {
    String path = template;
    for (var m :
        java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(template).results().toList()) {
      String name = m.group(1);
      assertThat(TENANT_PARAMETERS.contains(name) || WORKFLOW_PARAMETERS.contains(name))
          .as(
              "path parameter {%s} of %s names neither a tenant nor a workflow: say in this test"
                  + " which it is, so that the endpoint's tenant scope is checked",
              name, template)
          .isTrue();
      path = path.replace(m.group(), TENANT_PARAMETERS.contains(name) ? tenant : drill);
    }
    return path;
  }

  @Test
  @Order(1)
  void everyTenantScopedEndpointAnswersForAnotherTenantAsForNone() throws Exception {
    everyTenantScopedEndpoint(() -> as(SandboxTenants.ACME_OPERATOR), "basic");
  }

  @Test
  @Order(2)
  void aBearerTokenWithATenantGrantIsScopedTheSameWay() throws Exception {
    // "engineering" is no kafka-dr grant: ignored, as a token's other groups are.
    everyTenantScopedEndpoint(() -> bearer("operator@acme", "engineering"), "bearer");
    assertThat(
            bearer("viewer@acme")
                .get("/api/tenants")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("tenant"))
        .containsExactly("acme");
    assertThat(
            bearer("viewer@acme")
                .body(Map.of("kind", "switchover", "dryRun", true))
                .post("/api/tenants/acme/workflows")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            bearer("viewer")
                .get("/api/tenants")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("tenant"))
        .contains("acme", "other");
    assertThat(bearer("engineering").get("/api/tenants").statusCode()).isEqualTo(403);
    String expired =
        TeamTenants.issuer.token(
            "team-member", List.of("viewer"), java.time.Duration.ofMinutes(-5));
    assertThat(given().auth().oauth2(expired).get("/api/tenants").statusCode()).isEqualTo(401);
    String forged = TeamTenants.issuer.forged("team-member", List.of("viewer"));
    assertThat(given().auth().oauth2(forged).get("/api/tenants").statusCode()).isEqualTo(401);
    String elsewhere = TeamTenants.issuer.tokenFor("billing", "team-member", List.of("viewer"));
    assertThat(given().auth().oauth2(elsewhere).get("/api/tenants").statusCode()).isEqualTo(401);
    // A group named like the role of users of every tenant is no grant: /q/metrics stays closed.
    assertThat(bearer("viewer@acme", "reader-of-every-tenant").get("/q/metrics").statusCode())
        .isEqualTo(403);
  }

  private void everyTenantScopedEndpoint(
      java.util.function.Supplier<RequestSpecification> caller, String how) throws Exception {
    List<String> checked = new ArrayList<>();
    for (String[] op : operations()) {
      String method = op[0];
      String template = op[1];
      if (!template.contains("{")) {
        continue;
      }
      Response theirs =
          call(SandboxTenants.ACME_OPERATOR, method, fill(template, "other", otherDrill));
      Response none =
          call(SandboxTenants.ACME_OPERATOR, method, fill(template, "nobody", "no-such-drill"));
      assertThat(theirs.statusCode()).as(method + " " + template + " for other").isEqualTo(404);
      assertThat(none.statusCode()).as(method + " " + template + " for nobody").isEqualTo(404);
      assertThat(theirs.asString().replace(otherDrill, "X").replace("other", "X"))
          .as(method + " " + template + ": the same answer as for a tenant that does not exist")
          .isEqualTo(none.asString().replace("no-such-drill", "X").replace("nobody", "X"));
      Response mine = call(caller.get(), method, fill(template, "acme", acmeDrill));
      assertThat(mine.statusCode())
          .as(method + " " + template + " for acme, the user's own: " + mine.asString())
          .isNotIn(401, 403, 404);
      Response global = call(SandboxTenants.OPERATOR, method, fill(template, "other", otherDrill));
      assertThat(global.statusCode())
          .as(method + " " + template + " for other by an operator of every tenant")
          .isNotIn(401, 403, 404);
      checked.add(method.toUpperCase(java.util.Locale.ROOT) + " " + template);
    }
    System.out.printf(
        "tenant-scoped operations checked (%s, %d): %s%n", how, checked.size(), checked);
    assertThat(checked)
        .contains(
            "GET /api/tenants/{tenant}/lag",
            "POST /api/tenants/{tenant}/workflows",
            "GET /api/workflows/{workflow}",
            "GET /api/drills/{drill}/html");
  }

  @Test
  @Order(3)
  void everyWholeServiceListNamesTheTeamsTenantOnly() throws Exception {
    List<String> checked = new ArrayList<>();
    for (String[] op : operations()) {
      if (!"get".equals(op[0]) || op[1].contains("{")) {
        continue;
      }
      Response mine = call(SandboxTenants.ACME_VIEWER, "get", op[1]);
      Response all = call(SandboxTenants.VIEWER, "get", op[1]);
      assertThat(mine.statusCode()).as("GET " + op[1]).isEqualTo(200);
      Set<String> seen = new TreeSet<>();
      Set<String> seenByAll = new TreeSet<>();
      tenantsNamed(mine, seen);
      tenantsNamed(all, seenByAll);
      assertThat(seen).as("tenants GET %s names to acme's viewer", op[1]).isSubsetOf("acme");
      assertThat(mine.asString()).as("GET " + op[1]).doesNotContain("\"other\"");
      if (seenByAll.contains("other")) {
        assertThat(seen).as("GET %s: acme's own entries are kept", op[1]).contains("acme");
        checked.add("GET " + op[1]);
      }
    }
    System.out.println("whole-service lists checked: " + checked);
    assertThat(checked)
        .contains("GET /api/tenants", "GET /api/workflows", "GET /api/audit", "GET /api/drills");
  }

  /** Adds every value of a {@code tenant} field, and every key of a {@code tenants} object. */
  private static void tenantsNamed(Response response, Set<String> into) throws Exception {
    String body = response.asString();
    if (!response.contentType().startsWith("application/json") || body.isEmpty()) {
      return;
    }
    collect(JSON.readTree(body), into);
  }

  private static void collect(JsonNode node, Set<String> into) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("tenant") && e.getValue().isTextual()) {
                  into.add(e.getValue().asText());
                }
                if (e.getKey().equals("tenants") && e.getValue().isObject()) {
                  e.getValue().fieldNames().forEachRemaining(into::add);
                }
                collect(e.getValue(), into);
              });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, into));
    }
  }

  @Test
  @Order(4)
  void aTeamScrapesItsTenantsSeriesAndNotTheWholeServices() {
    String mine =
        as(SandboxTenants.ACME_VIEWER)
            .get("/api/tenants/acme/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(mine)
        .contains("tenant=\"acme\"")
        .doesNotContain("tenant=\"other\"")
        .doesNotContain("jvm_");
    assertThat(as(SandboxTenants.ACME_VIEWER).get("/q/metrics").statusCode()).isEqualTo(403);
    assertThat(Api.viewer().get("/q/metrics").then().statusCode(200).extract().asString())
        .contains("tenant=\"other\"")
        .contains("tenant=\"acme\"");
  }

  @Test
  @Order(5)
  void aViewerOfATenantReadsItButRunsNothingAndOnlyEveryTenantsOperatorStopsAutomaticFailover() {
    assertThat(as(SandboxTenants.ACME_VIEWER).get("/api/tenants/acme/lag").statusCode())
        .isEqualTo(200);
    assertThat(
            as(SandboxTenants.ACME_VIEWER)
                .body(Map.of("kind", "switchover", "dryRun", true))
                .post("/api/tenants/acme/workflows")
                .statusCode())
        .isEqualTo(403);
    Response switchOff =
        as(SandboxTenants.ACME_OPERATOR)
            .body(Map.of("enabled", false, "reason", "a team tries"))
            .put("/api/failover/automatic");
    assertThat(switchOff.statusCode()).isEqualTo(403);
    assertThat(switchOff.asString()).contains("operator of every tenant needed");
    assertThat(
            as(SandboxTenants.ACME_OPERATOR)
                .body(Map.of("kind", "switchover", "dryRun", true))
                .post("/api/tenants/acme/workflows")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  @Order(6)
  void aTeamReadsItsTenantsEventsFromACursorOn() throws Exception {
    Response all = as(SandboxTenants.ACME_VIEWER).get("/api/tenants/acme/events");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.contentType()).startsWith("application/x-ndjson");
    List<JsonNode> events = new ArrayList<>();
    for (String line : all.asString().split("\n")) {
      events.add(JSON.readTree(line));
    }
    assertThat(events).allSatisfy(e -> assertThat(e.path("tenant").asText()).isEqualTo("acme"));
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.path("kind").asText()).isEqualTo("workflow");
              assertThat(e.path("workflow").asText()).isEqualTo(acmeDrill);
              assertThat(e.path("text").asText()).startsWith("drill-verify started by ");
            })
        .anySatisfy(
            e -> {
              assertThat(e.path("kind").asText()).isEqualTo("drill");
              assertThat(e.path("workflow").asText()).isEqualTo(acmeDrill);
            })
        .anySatisfy(e -> assertThat(e.path("kind").asText()).isEqualTo("workflow-step"));
    String next = all.header("Kdr-Next-Cursor");
    // The next cursor is at or past the tenant's last event (past other tenants' events too).
    String last = events.get(events.size() - 1).path("cursor").asText();
    assertThat(next.substring(0, next.indexOf('-')))
        .isEqualTo(last.substring(0, last.indexOf('-')));
    assertThat(Long.parseLong(next.substring(next.indexOf('-') + 1)))
        .isGreaterThanOrEqualTo(Long.parseLong(last.substring(last.indexOf('-') + 1)));

    // Read on from the cursor: only what is newer (the drill below), nothing seen twice.
    String again = Api.start("acme", "drill-verify");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        as(SandboxTenants.ACME_VIEWER)
                            .queryParam("after", next)
                            .get("/api/tenants/acme/events")
                            .asString())
                    .contains("drill-verify started by " + SandboxTenants.OPERATOR)
                    .contains(again)
                    .doesNotContain(acmeDrill));
    Api.awaitEnd(again);
    Response lost =
        as(SandboxTenants.ACME_VIEWER).queryParam("after", "0-5").get("/api/tenants/acme/events");
    assertThat(JSON.readTree(lost.asString().split("\n")[0]).path("kind").asText())
        .isEqualTo("events-lost");
    Response wrong =
        as(SandboxTenants.ACME_VIEWER)
            .queryParam("after", "yesterday")
            .get("/api/tenants/acme/events");
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(wrong.asString()).contains("yesterday", "is no cursor");
  }

  @Test
  @Order(7)
  void kdrEventsHandsATeamsLogShipperItsStreamWithTheCursorKeptInAFile() throws Exception {
    java.nio.file.Path cursorFile =
        java.nio.file.Files.createTempDirectory("kdr-events").resolve("acme.cursor");
    var first = kdrEvents("acme", "--cursor-file", cursorFile.toString());
    assertThat(first.getKey()).as(first.getValue()).isZero();
    assertThat(first.getValue()).contains(acmeDrill).doesNotContain("\"tenant\":\"other\"");
    String kept = java.nio.file.Files.readString(cursorFile).strip();
    String[] lines = first.getValue().strip().split("\n");
    // The file holds the page's next cursor: at or past the tenant's last line.
    String last = JSON.readTree(lines[lines.length - 1]).path("cursor").asText();
    assertThat(Long.parseLong(kept.substring(kept.indexOf('-') + 1)))
        .isGreaterThanOrEqualTo(Long.parseLong(last.substring(last.indexOf('-') + 1)));
    var again = kdrEvents("acme", "--cursor-file", cursorFile.toString());
    assertThat(again.getKey()).isZero();
    assertThat(again.getValue()).doesNotContain(acmeDrill);
    var theirs = kdrEvents("other");
    assertThat(theirs.getKey()).isEqualTo(2);
    assertThat(theirs.getValue()).contains("404");
  }

  /** {@code kdr events --tenant <tenant> <more>} as acme's viewer: exit code and output. */
  private static java.util.Map.Entry<Integer, String> kdrEvents(String tenant, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "events",
                "--controller",
                "http://127.0.0.1:" + io.restassured.RestAssured.port,
                "--user",
                SandboxTenants.ACME_VIEWER,
                "--tenant",
                tenant));
    args.addAll(List.of(more));
    return Kdr.run(args.toArray(String[]::new));
  }

  @Test
  @Order(8)
  void theConsoleShowsTheTeamItsTenantOnlyWithTheApisFiguresAndLinksThatAnswer() throws Exception {
    String page = console(SandboxTenants.ACME_VIEWER);
    assertThat(page).doesNotContain("data-tenant=\"other\"").doesNotContain(otherDrill);
    assertThat(console(SandboxTenants.VIEWER))
        .contains("data-tenant=\"other\"", "data-workflow=\"" + otherDrill + "\"");
  }

  /**
   * The console as {@code user} sees it: screenshot saved (path printed), nothing in the browser's
   * console, acme's row with the registry's and the lag's figures as the API gives them, every link
   * answering 200 to the same user; its DOM.
   */
  private static String console(String user) throws Exception {
    String url = url(user, "/");
    java.nio.file.Path png = java.nio.file.Path.of("target", "console-" + user + ".png");
    List<String> messages = HeadlessChromium.screenshot(url, png);
    System.out.println("DR console as " + user + ": " + png.toAbsolutePath());
    assertThat(png).isNotEmptyFile();
    assertThat(messages).as("browser console").isEmpty();
    String page = HeadlessChromium.dom(url, java.time.Duration.ofSeconds(5));
    assertThat(page)
        .contains("data-tenant=\"acme\"", "<div id=\"error\"></div>")
        .contains("data-workflow=\"" + acmeDrill + "\"");
    var registry = Api.viewer().get("/api/tenants/acme/bootstrap").then().extract().jsonPath();
    String row = page.substring(page.indexOf("data-tenant=\"acme\""));
    assertThat(row)
        .contains(
            "<td class=\"clients\">" + registry.getString("cluster"),
            "(epoch " + registry.getLong("epoch") + ")");
    long lag = Api.viewer().get("/api/tenants/acme/lag").jsonPath().getLong("flows[0].lagRecords");
    assertThat(row).contains("<td class=\"num\">" + lag + "</td>");
    List<String> links =
        java.util.regex.Pattern.compile("href=\"([^\"]+)\"")
            .matcher(page)
            .results()
            .map(m -> m.group(1).replace("&amp;", "&"))
            .distinct()
            .toList();
    assertThat(links).contains("/tenant.html?tenant=acme", "/console.css");
    for (String link : links) {
      assertThat(as(user).get(link).statusCode()).as(user + ": " + link).isEqualTo(200);
    }
    return page;
  }

  @Test
  @Order(9)
  void theTenantPageShowsItsPartitionsGroupsWorkflowsAndEventsAndNoOtherTenant() throws Exception {
    String url = url(SandboxTenants.ACME_VIEWER, "/tenant.html?tenant=acme");
    java.nio.file.Path png = java.nio.file.Path.of("target", "console-tenant-acme.png");
    List<String> console = HeadlessChromium.screenshot(url, png);
    System.out.println("tenant page of acme: " + png.toAbsolutePath());
    assertThat(console).as("browser console").isEmpty();
    String page = HeadlessChromium.dom(url, java.time.Duration.ofSeconds(5));
    assertThat(page)
        .contains("kafka-dr: tenant acme", "<div id=\"error\"></div>")
        .contains("acme.orders-0", "acme.orders-1", "acme.payments-0")
        .contains("data-workflow=\"" + acmeDrill + "\"")
        .contains("drill-verify started by " + SandboxTenants.OPERATOR)
        .doesNotContain("other.events");
    String theirs =
        HeadlessChromium.dom(
            url(SandboxTenants.ACME_VIEWER, "/tenant.html?tenant=other"),
            java.time.Duration.ofSeconds(3));
    assertThat(theirs)
        .contains("cannot show tenant other: /api/tenants/other/lag answered 404")
        .doesNotContain("other.events");
  }

  @Test
  @Order(10)
  void callsNobodyMayMakeDuringASwitchoverAreRefusedAuditedAndChangeNothing() {
    String switchover = Api.start("acme", "switchover");
    String stateBefore =
        Api.viewer().get("/api/workflows/" + switchover).jsonPath().getString("state");
    Map<String, Object> failback = Map.of("kind", "failback");
    String path = "/api/tenants/acme/workflows";
    assertThat(
            given()
                .auth()
                .preemptive()
                .basic(SandboxTenants.ACME_OPERATOR, "wrong")
                .contentType("application/json")
                .body(failback)
                .post(path)
                .statusCode())
        .isEqualTo(401);
    assertThat(as(SandboxTenants.ACME_VIEWER).body(failback).post(path).statusCode())
        .isEqualTo(403);
    assertThat(bearer("operator@other").body(failback).post(path).statusCode()).isEqualTo(404);
    String stateAfter =
        Api.viewer().get("/api/workflows/" + switchover).jsonPath().getString("state");
    System.out.printf(
        "refused calls made while the switchover was %s (%s after them)%n",
        stateBefore, stateAfter);
    var moved = Api.awaitEnd(switchover);
    assertThat(moved.getString("state")).as(moved.prettify()).isEqualTo("SUCCEEDED");
    List<Map<String, Object>> audit = Api.viewer().get("/api/audit").jsonPath().getList("");
    assertThat(audit)
        .anySatisfy(
            e ->
                assertThat(e)
                    .containsEntry("actor", SandboxTenants.ACME_OPERATOR)
                    .containsEntry("action", "POST " + path)
                    .containsEntry("state", "REFUSED")
                    .containsEntry("error", "not authenticated"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .containsEntry("actor", SandboxTenants.ACME_VIEWER)
                    .containsEntry("action", "POST " + path)
                    .containsEntry("error", "role missing"));
    // Nothing the refused calls asked for happened: one switchover, then a failback brings it home.
    var back = Api.awaitEnd(Api.start("acme", "failback"));
    assertThat(back.getString("state")).as(back.prettify()).isEqualTo("SUCCEEDED");
  }

  /** After {@link #callsNobodyMayMakeDuringASwitchoverAreRefusedAuditedAndChangeNothing}. */
  @Test
  @Order(11)
  void theTeamsDashboardAnswersForItsTenantAndNoOtherOnARealPrometheus() throws Exception {
    JsonNode dashboard =
        JSON.readTree(
            java.nio.file.Path.of("..", "configs", "grafana", "kafka-dr-tenant.json").toFile());
    List<String> queries = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
    assertThat(queries).hasSizeGreaterThanOrEqualTo(12).allMatch(q -> q.contains("$tenant"));
    try (PrometheusServer prometheus =
        new PrometheusServer(
            io.restassured.RestAssured.port,
            "/api/tenants/acme/metrics",
            SandboxTenants.ACME_VIEWER,
            SandboxTenants.PASSWORD)) {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .pollInterval(java.time.Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                assertThat(prometheus.targetHealth()).startsWith("up");
                for (String q : queries) {
                  assertThat(prometheus.query(q.replace("$tenant", "acme"))).as(q).isNotEmpty();
                }
              });
      for (String q : queries) {
        JsonNode mine = prometheus.query(q.replace("$tenant", "acme"));
        mine.forEach(
            series ->
                assertThat(series.path("metric").path("tenant").asText()).as(q).isEqualTo("acme"));
        assertThat(prometheus.query(q.replace("$tenant", "other"))).as(q).isEmpty();
      }
      assertThat(prometheus.labelValues("tenant")).containsExactly("acme");
      System.out.printf(
          "dashboard: %d queries answered for acme and none for other on Prometheus%n",
          queries.size());
    }
  }

  /**
   * 100 wrong passwords for one user from one address: the address's allowance (10) is hashed and
   * answered 401, the rest 429 before any hash; each hashed guess and the first slowed one audited;
   * the user logs in from another address at once; a bystander's calls keep a p99 under 200 ms.
   */
  @Test
  @Order(12)
  void guessesFromOneAddressAreSlowedBeforeHashingAndTheUserLogsInFromElsewhere() throws Exception {
    PasswordGuessing.newVictimHash();
    String attacker = "203.0.113.7";
    var before = PasswordGuessing.authMetrics();
    int unauthorized = 0;
    int slowed = 0;
    long start = System.nanoTime();
    double p99;
    double p50;
    long ownLoginMillis;
    int calls;
    try (var bystander = new PasswordGuessing.Bystander()) {
      for (int i = 0; i < 100; i++) {
        Response r = PasswordGuessing.login(PasswordGuessing.VICTIM, "guess-" + i, attacker);
        if (r.statusCode() == 429) {
          slowed++;
          assertThat(Integer.parseInt(r.header("Retry-After"))).isPositive();
        } else {
          assertThat(r.statusCode()).as(r.asString()).isEqualTo(401);
          unauthorized++;
        }
      }
      long own = System.nanoTime();
      assertThat(
              PasswordGuessing.login(
                      PasswordGuessing.VICTIM, PasswordGuessing.PASSWORD, "198.51.100.9")
                  .statusCode())
          .isEqualTo(200);
      ownLoginMillis = (System.nanoTime() - own) / 1_000_000;
      p99 = bystander.quantileMillis(0.99);
      p50 = bystander.quantileMillis(0.5);
      calls = bystander.latencies().size();
    }
    double attackSeconds = (System.nanoTime() - start) / 1e9;
    var after = PasswordGuessing.authMetrics();
    double cpu = PasswordGuessing.grew(before, after, "kdr_auth_password_hash_cpu_seconds_total");
    double hashes = PasswordGuessing.hashes(before, after);
    System.out.printf(
        "100 wrong passwords from one address in %.1f s: %d hashed (401), %d refused before"
            + " hashing (429); %.0f hashes cost %.2f s of CPU (%.0f ms each); the user's own login"
            + " from elsewhere %d ms; a bystander's %d calls meanwhile: p50 %.1f ms, p99 %.1f ms%n",
        attackSeconds,
        unauthorized,
        slowed,
        hashes,
        cpu,
        1000 * cpu / hashes,
        ownLoginMillis,
        calls,
        p50,
        p99);
    // The address's allowance of 10; none refills in seconds (one per 6 minutes here).
    assertThat(unauthorized).isEqualTo(10);
    assertThat(slowed).isEqualTo(100 - unauthorized);
    assertThat(hashes)
        .as("hashes: the guesses answered 401 and the user's own login")
        .isEqualTo(unauthorized + 1.0);
    assertThat(cpu).isPositive();
    assertThat(calls).isGreaterThan(20);
    assertThat(p99).as("the bystander's p99, ms").isLessThan(200);
    List<Map<String, Object>> audit = Api.viewer().get("/api/audit").jsonPath().getList("");
    List<Map<String, Object>> mine =
        audit.stream()
            .filter(e -> PasswordGuessing.VICTIM.equals(e.get("actor")))
            .filter(e -> attacker.equals(e.get("from")))
            .toList();
    assertThat(mine.stream().filter(e -> "not authenticated".equals(e.get("error"))).count())
        .isEqualTo(unauthorized);
    assertThat(mine)
        .filteredOn(e -> "login".equals(e.get("action")))
        .singleElement()
        .satisfies(e -> assertThat(e).containsEntry("allowance", "address"));
  }

  /**
   * Guesses at one user from 40 addresses, one each: once the user's allowance (30) is spent, its
   * logins from addresses it never used wait for a token (429 with Retry-After, then in), while
   * from the address where it logged in before it logs in at once.
   */
  @Test
  @Order(13)
  void guessesFromManyAddressesSlowTheNameFromStrangersButNeverLockTheUserOut() throws Exception {
    PasswordGuessing.newVictimHash();
    String home = "192.0.2.50";
    String victim = PasswordGuessing.VICTIM;
    assertThat(PasswordGuessing.login(victim, PasswordGuessing.PASSWORD, home).statusCode())
        .isEqualTo(200);
    int unauthorized = 0;
    int attempts = 0;
    Response refused = null;
    while (refused == null && attempts < 80) {
      attempts++;
      Response r = PasswordGuessing.login(victim, "guess", "198.18.0." + attempts);
      if (r.statusCode() == 429) {
        refused = r;
      } else {
        assertThat(r.statusCode()).isEqualTo(401);
        unauthorized++;
      }
    }
    assertThat(refused).as("guesses from many addresses are slowed").isNotNull();
    assertThat(refused.jsonPath().getString("error")).contains("for this user");
    // The allowance of 30 less the 10 the previous test's guesses spent and the user's own
    // login gave back.
    assertThat(unauthorized).isEqualTo(20);
    // Forget the login verified at home, so that the next ones are hashed and admitted afresh.
    PasswordGuessing.newVictimHash();
    long start = System.nanoTime();
    assertThat(PasswordGuessing.login(victim, PasswordGuessing.PASSWORD, home).statusCode())
        .as("the user, from where it logged in before")
        .isEqualTo(200);
    long homeMillis = (System.nanoTime() - start) / 1_000_000;
    // A password that verified lately passes from anywhere without a hash: forget it again.
    PasswordGuessing.newVictimHash();
    Response stranger = PasswordGuessing.login(victim, PasswordGuessing.PASSWORD, "198.51.100.77");
    assertThat(stranger.statusCode()).as("the right password from a new address").isEqualTo(429);
    long wait = Long.parseLong(stranger.header("Retry-After"));
    // Slowed, not locked: the next token is one refill share away (an hour over 30 here).
    assertThat(wait).isBetween(1L, 120L);
    System.out.printf(
        "%d wrong passwords from %d addresses spent the user's allowance; from home the user"
            + " logged in at once (%d ms); from a new address it may try again in %d s%n",
        unauthorized, attempts, homeMillis, wait);
    assertThat(Api.viewer().get("/api/audit").jsonPath().getList("", Map.class))
        .anySatisfy(
            e ->
                assertThat(e)
                    .containsEntry("actor", victim)
                    .containsEntry("action", "login")
                    .containsEntry("allowance", "user"));
  }

  /**
   * A guesser that hangs up before the answer gets no allowance back (the end of such a request is
   * no verified login), and a request with two Authorization headers is refused before either is
   * read.
   */
  @Test
  @Order(14)
  void aGuesserThatHangsUpGetsNoAllowanceBackAndTwoAuthorizationHeadersAreRefused()
      throws Exception {
    String from = "203.0.113.99";
    String basic =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString(
                    // A name of its own: the victim's allowance was spent by the test before.
                    ("hangs-up:guess").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    var before = PasswordGuessing.authMetrics();
    for (int i = 0; i < 10; i++) {
      try (var socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
        socket
            .getOutputStream()
            .write(
                ("GET /api/tenants HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: "
                        + from
                        + "\r\nAuthorization: "
                        + basic
                        + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        // Gone before the answer: wait for it briefly (a hash takes over 100 ms), then hang up.
        socket.setSoTimeout(30);
        try {
          socket.getInputStream().read();
        } catch (java.net.SocketTimeoutException stillHashing) {
          // the answer has not come: hang up now
        }
      }
    }
    // Every hung-up guess was hashed, so each request's end (its hang-up) has been handled.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(15))
        .until(() -> PasswordGuessing.hashes(before, PasswordGuessing.authMetrics()) >= 10);
    // One try only: a retried guess would spend the allowance itself.
    Response next = PasswordGuessing.login("hangs-up", "guess", from);
    assertThat(next.statusCode())
        .as("the address's allowance, spent by guesses that hung up")
        .isEqualTo(429);
    assertThat(next.jsonPath().getString("error")).contains("from this address");
    assertThat(
            given()
                .header("Authorization", "Bearer nothing")
                .header("Authorization", basic)
                .get("/api/tenants")
                .statusCode())
        .isEqualTo(400);
  }

  private static String url(String user, String path) {
    return "http://"
        + user
        + ":"
        + SandboxTenants.PASSWORD
        + "@127.0.0.1:"
        + io.restassured.RestAssured.port
        + path;
  }
}
