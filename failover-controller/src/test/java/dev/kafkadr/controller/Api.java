package dev.kafkadr.controller;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The controller under test, called as the tests' users: workflows started and followed, lag. */
final class Api {

  private Api() {}

  /** Requests as the operator, with a JSON body. */
  static RequestSpecification operator() {
    return given()
        .auth()
        .preemptive()
        .basic(SandboxTenants.OPERATOR, SandboxTenants.PASSWORD)
        .contentType("application/json");
  }

  /** Requests as the viewer. */
  static RequestSpecification viewer() {
    return given().auth().preemptive().basic(SandboxTenants.VIEWER, SandboxTenants.PASSWORD);
  }

  /**
   * The texts of {@code tenant}'s events that {@code which} accepts, all kept, read as its team
   * does (JSON lines; every line is checked to be the tenant's or an events-lost line).
   */
  static List<String> events(String tenant, Predicate<Map<String, Object>> which) {
    String body =
        viewer()
            .get("/api/tenants/" + tenant + "/events")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    List<String> out = new java.util.ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, Object> e = new JsonPath(line).getMap("");
      if (!"events-lost".equals(e.get("kind")) && !tenant.equals(e.get("tenant"))) {
        throw new AssertionError("an event of another tenant in " + tenant + "'s stream: " + line);
      }
      if (which.test(e)) {
        out.add((String) e.get("text"));
      }
    }
    return out;
  }

  /** Starts a workflow of {@code kind} for {@code tenant}; its id. */
  static String start(String tenant, String kind) {
    return operator()
        .body(Map.of("kind", kind))
        .post("/api/tenants/" + tenant + "/workflows")
        .then()
        .statusCode(202)
        .extract()
        .jsonPath()
        .getString("id");
  }

  /** The workflow once it has ended (rolled back included), within 3 minutes. */
  static JsonPath awaitEnd(String id) {
    JsonPath[] last = new JsonPath[1];
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last[0] =
                  viewer().get("/api/workflows/" + id).then().statusCode(200).extract().jsonPath();
              return !List.of("RUNNING", "ROLLING_BACK").contains(last[0].getString("state"));
            });
    return last[0];
  }

  /**
   * The tenant's lag once {@code condition} holds (60 s), with the last answer when it never does.
   */
  static JsonPath awaitLag(String tenant, Predicate<JsonPath> condition) {
    JsonPath[] last = new JsonPath[1];
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          // A figure the controller cannot measure yet is absent (UNKNOWN): not the answer yet.
          .ignoreException(NullPointerException.class)
          .until(
              () -> {
                last[0] = viewer().get("/api/tenants/" + tenant + "/lag").jsonPath();
                return condition.test(last[0]);
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          tenant + " never met the condition; last answer:\n" + last[0].prettify(), e);
    }
    return last[0];
  }

  /**
   * Waits (60 s) until the lag monitor's last scan holds {@code group}'s committed position on
   * every partition of {@code topic}: a failover translates the positions the last scan saw, so a
   * group the scan has not seen commit yet would have none to translate (and no bound on what it
   * reads again).
   */
  static void awaitGroupSeen(String tenant, String group, String topic) {
    awaitLag(
        tenant,
        l -> {
          List<Object> partitions =
              l.getList("flows[0].partitions.findAll { it.topic == '" + topic + "' }");
          List<Object> seen =
              l.getList(
                  "flows[0].groups.findAll { it.group == '"
                      + group
                      + "' && it.topic == '"
                      + topic
                      + "' && it.committedOffset >= 0 }");
          return !partitions.isEmpty() && seen.size() == partitions.size();
        });
  }
}
