package dev.kafkadr.testkit.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The failover controller's REST API as the benchmarks and fault tests call it: one user (HTTP
 * basic), JSON in and out, 30 s per request.
 */
public final class ControllerApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String url;
  private final String authorization;
  private final HttpClient http;

  /**
   * The API at {@code url} as {@code user} (HTTP basic), its certificate checked with {@code tls}
   * (a sandbox controller's {@code ControllerProcess.tls()}).
   */
  public ControllerApi(
      String url, dev.kafkadr.client.ControllerTls tls, String user, String password) {
    this.url = tls.check(java.net.URI.create(url)).toString();
    this.http = tls.httpClient().build();
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** GET {@code path}, as JSON. */
  public JsonNode get(String path) throws Exception {
    return JSON.readTree(send(HttpRequest.newBuilder(URI.create(url + path)).GET()).body());
  }

  /** POST {@code body} (JSON) to {@code path}; the answer's status and body. */
  public HttpResponse<String> post(String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /**
   * Starts a workflow of {@code kind} for {@code tenant} and waits up to 5 minutes for its end.
   *
   * @throws IllegalStateException when it is refused or does not succeed, with its answer
   */
  public JsonNode runWorkflow(String tenant, String kind) throws Exception {
    HttpResponse<String> started =
        post("/api/tenants/" + tenant + "/workflows", "{\"kind\":\"" + kind + "\"}");
    if (started.statusCode() != 202) {
      throw new IllegalStateException(
          kind + " refused: " + started.statusCode() + " " + started.body());
    }
    String id = JSON.readTree(started.body()).path("id").asText();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    JsonNode last = get("/api/workflows/" + id);
    while (List.of("RUNNING", "ROLLING_BACK").contains(last.path("state").asText())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(kind + " did not end within 5 minutes");
      }
      Thread.sleep(50);
      last = get("/api/workflows/" + id);
    }
    if (!"SUCCEEDED".equals(last.path("state").asText())) {
      throw new IllegalStateException(kind + " did not succeed: " + last.toPrettyString());
    }
    return last;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.header("Authorization", authorization).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
