package dev.kafkadr.config.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import picocli.CommandLine.Option;

/**
 * How a {@code kdr} command reaches the failover controller: its URL and a user of its API. The
 * password is read from {@code KDR_PASSWORD} (or, for a JVM embedding the CLI, the system property
 * {@code kafka-dr.password}), never from the command line (it would show in the process list and
 * the shell history).
 */
final class ControllerOptions {

  @Option(
      names = "--controller",
      defaultValue = "${env:KDR_CONTROLLER:-http://127.0.0.1:8080}",
      description = "The controller's URL (env KDR_CONTROLLER). Default: ${DEFAULT-VALUE}.")
  String controller;

  @Option(
      names = "--user",
      defaultValue = "${env:KDR_USER}",
      description =
          "A user of the controller's API (env KDR_USER); its password from KDR_PASSWORD.")
  String user;

  /** Where {@code path} is on the controller. */
  URI uri(String path) {
    return URI.create(controller.replaceAll("/+$", "") + path);
  }

  /** Sends {@code method path} with {@code json} (or no body) as the configured user. */
  HttpResponse<String> send(String method, String path, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json, text/plain;q=0.9")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (user != null && !user.isBlank()) {
      String password =
          System.getenv().getOrDefault("KDR_PASSWORD", System.getProperty("kafka-dr.password", ""));
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A one-line reason for a refused answer. */
  static String refusal(HttpResponse<String> response) {
    return switch (response.statusCode()) {
      case 401 -> "401: not authenticated (set --user or KDR_USER, and KDR_PASSWORD)";
      case 403 -> "403: this user's role may not do that";
      default -> response.statusCode() + ": " + response.body();
    };
  }

  /**
   * Prints why the controller refused a request and returns the command's exit code: 1 for 401/403
   * (and anything unexpected), 2 for a bad request (400/404), 5 when another workflow holds the
   * tenant or it was done already (409).
   */
  static int refused(java.io.PrintWriter err, HttpResponse<String> r) {
    String why = r.body();
    try {
      var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
      why = node.path("error").asText(node.path("message").asText(r.body()));
    } catch (IOException e) {
      // not JSON: the body as it is
    }
    switch (r.statusCode()) {
      case 401, 403 -> err.println("kdr: " + refusal(r));
      case 409 -> err.println("kdr: refused: " + why);
      default -> err.println("kdr: the controller answered " + r.statusCode() + ": " + why);
    }
    return switch (r.statusCode()) {
      case 409 -> WorkflowCommand.REFUSED;
      case 400, 404 -> 2;
      default -> 1;
    };
  }
}
