package dev.kafkadr.controller;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Calls a packaged controller's API as the operator of {@link SandboxTenants}, over HTTPS checked
 * against the certificates of the controllers started last ({@link #trust}).
 */
final class ControllerApi {

  private static volatile dev.kafkadr.client.ControllerTls tls =
      dev.kafkadr.client.ControllerTls.plainHttpAllowed();
  private static volatile HttpClient http = HttpClient.newHttpClient();

  private ControllerApi() {}

  /** Checks the controllers' certificates with {@code controllerTls} from now on. */
  static void trust(dev.kafkadr.client.ControllerTls controllerTls) {
    tls = controllerTls;
    http = controllerTls.httpClient().build();
  }

  /** How the controllers are checked now. */
  static dev.kafkadr.client.ControllerTls tls() {
    return tls;
  }

  /** The {@code kdr} options that trust the controllers: {@code --truststore <file>}, or none. */
  static java.util.List<String> kdrTrust() {
    return tls.trustedCertificates()
        .map(f -> java.util.List.of("--truststore", f.toString()))
        .orElse(java.util.List.of());
  }

  /** {@code method path} on the controller at {@code base}, with a JSON {@code body} or none. */
  static HttpResponse<String> send(String base, String method, String path, String body)
      throws Exception {
    return send(base, method, path, body, "application/json");
  }

  /** The controller's Prometheus metrics, as a scrape reads them. */
  static String metrics(String base) throws Exception {
    return send(base, "GET", "/q/metrics", null, "text/plain").body();
  }

  private static HttpResponse<String> send(
      String base, String method, String path, String body, String accept) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            (SandboxTenants.OPERATOR + ":" + SandboxTenants.PASSWORD)
                                .getBytes(StandardCharsets.UTF_8)))
            .header("Accept", accept)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits (2 minutes at most) until workflow {@code id} has ended; its last view. */
  static com.fasterxml.jackson.databind.JsonNode awaitEnd(String base, String id) {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode[] last = new com.fasterxml.jackson.databind.JsonNode[1];
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              HttpResponse<String> r = send(base, "GET", "/api/workflows/" + id, null);
              last[0] = json.readTree(r.body());
              return r.statusCode() == 200
                  && !java.util.List.of("RUNNING", "ROLLING_BACK")
                      .contains(last[0].path("state").asText());
            });
    return last[0];
  }
}
