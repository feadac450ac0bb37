package dev.kafkadr.config.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
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
      defaultValue = "${env:KDR_CONTROLLER:-https://127.0.0.1:8443}",
      description =
          "The controller's URL, or its replicas' URLs comma-separated: each is tried in turn"
              + " until one can be reached, and a replica that does not lead sends the request to"
              + " the leader (env KDR_CONTROLLER). Default: ${DEFAULT-VALUE}.")
  String controller;

  /** Redirects followed at most, from a follower to the leader. */
  private static final int MAX_HOPS = 3;

  @Option(
      names = "--user",
      defaultValue = "${env:KDR_USER}",
      description =
          "A user of the controller's API (env KDR_USER); its password from KDR_PASSWORD.")
  String user;

  @Option(
      names = "--truststore",
      defaultValue = "${env:KDR_TRUSTSTORE}",
      description =
          "A PEM file of the certificates that sign the controller's (env KDR_TRUSTSTORE);"
              + " default: the JVM's trust store.")
  java.nio.file.Path truststore;

  @Option(
      names = "--insecure",
      defaultValue = "${env:KDR_INSECURE:-false}",
      description =
          "Accept a plain http:// controller URL, for a sandbox on this machine only: the password"
              + " and the answers cross the network readable (env KDR_INSECURE).")
  boolean insecure;

  /**
   * How the controller's URLs are checked: HTTPS against {@code --truststore}, plain HTTP only with
   * {@code --insecure} (or, for a JVM embedding the CLI such as the tests, the system property
   * {@code kafka-dr.insecure=true}, as {@code kafka-dr.password} stands for {@code KDR_PASSWORD}).
   */
  dev.kafkadr.client.ControllerTls tls() {
    return new dev.kafkadr.client.ControllerTls(
        java.util.Optional.ofNullable(truststore),
        insecure || Boolean.getBoolean("kafka-dr.insecure"));
  }

  /** The controllers' URLs, in the order they are tried. */
  List<String> urls() {
    return Arrays.stream(controller.split(","))
        .map(String::trim)
        .filter(u -> !u.isEmpty())
        .map(u -> u.replaceAll("/+$", ""))
        .toList();
  }

  /** Where {@code path} is on the first controller. */
  URI uri(String path) {
    return URI.create(urls().get(0) + path);
  }

  /**
   * Sends {@code method path} with {@code json} (or no body) as the configured user to the first
   * controller that can be reached (a refused or timed-out connection moves on to the next; any
   * answer ends the search), following a 307 or 308 to the leader with the same method and body.
   *
   * @throws IOException naming every URL tried when none could be reached
   */
  HttpResponse<String> send(String method, String path, String json)
      throws IOException, InterruptedException {
    dev.kafkadr.client.ControllerTls tls = tls();
    urls().forEach(u -> tls.check(URI.create(u)));
    HttpClient http = tls.httpClient().connectTimeout(Duration.ofSeconds(5)).build();
    IOException last = null;
    for (String base : urls()) {
      try {
        return follow(http, tls, URI.create(base + path), method, json);
      } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
        last = e;
      }
    }
    throw new IOException(
        "no controller could be reached at "
            + String.join(", ", urls())
            + (last == null ? "" : " (" + last + ")"),
        last);
  }

  private HttpResponse<String> follow(
      HttpClient http, dev.kafkadr.client.ControllerTls tls, URI uri, String method, String json)
      throws IOException, InterruptedException {
    HttpResponse<String> r = sendOnce(http, uri, method, json);
    for (int hop = 0; hop < MAX_HOPS && (r.statusCode() == 307 || r.statusCode() == 308); hop++) {
      var location = r.headers().firstValue("Location");
      if (location.isEmpty()) {
        return r;
      }
      URI next = r.uri().resolve(location.get());
      if (!"http".equals(next.getScheme()) && !"https".equals(next.getScheme())) {
        return r;
      }
      // The leader's URL is held to the same rule, and a redirect never leaves HTTPS for plain
      // HTTP, --insecure or not: the password would follow it.
      r = sendOnce(http, tls.checkRedirect(r.uri(), next), method, json);
    }
    return r;
  }

  private HttpResponse<String> sendOnce(HttpClient http, URI uri, String method, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            // JSON first; the report page (kdr drill export) is HTML only; events are JSON lines
            .header("Accept", "application/json, text/plain;q=0.9, text/html;q=0.8, */*;q=0.1")
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
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
      case 503 -> err.println("kdr: the controller cannot act now: " + why);
      default -> err.println("kdr: the controller answered " + r.statusCode() + ": " + why);
    }
    return switch (r.statusCode()) {
      case 409 -> WorkflowCommand.REFUSED;
      case 400, 404 -> 2;
      default -> 1;
    };
  }
}
