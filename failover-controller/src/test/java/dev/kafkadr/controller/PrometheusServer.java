package dev.kafkadr.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkadr.sandbox.process.ChildProcess;
import dev.kafkadr.sandbox.process.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus server (Debian's {@code prometheus}) on 127.0.0.1 for a test: one scrape job
 * every second, HTTP basic authentication with a password file; queried over its HTTP API. Stopped
 * by its PID on {@link #close()}.
 */
final class PrometheusServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChildProcess process;
  private final int port;
  private final Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * Starts Prometheus scraping {@code metricsPath} on {@code 127.0.0.1:target} as {@code user}
   * (with {@code password}, kept in a mode-600 file), and waits until it is ready.
   */
  PrometheusServer(int target, String metricsPath, String user, String password)
      throws IOException, InterruptedException {
    Path binary = Path.of("/usr/bin/prometheus");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "prometheus is not installed: bin/test installs it as root; otherwise apt-get install"
              + " prometheus");
    }
    dir = Files.createTempDirectory("kdr-prometheus");
    Path secret = dir.resolve("password");
    Files.createFile(
        secret,
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Files.writeString(secret, password);
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global: {scrape_interval: 1s, evaluation_interval: 1s}",
            "scrape_configs:",
            "  - job_name: team",
            "    metrics_path: " + metricsPath,
            "    basic_auth: {username: " + user + ", password_file: " + secret + "}",
            "    static_configs: [{targets: ['127.0.0.1:" + target + "']}]",
            ""));
    port = FreePorts.allocate(1, false).get(0);
    process =
        new ChildProcess(
            "prometheus",
            List.of(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port),
            dir.resolve("prometheus.log"));
    process.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String tail = process.tail(20);
        close();
        throw new IllegalStateException("prometheus did not become ready:\n" + tail);
      }
      Thread.sleep(200);
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The result of an instant query ({@code data.result}: one element per series). */
  JsonNode query(String promql) throws IOException, InterruptedException {
    HttpResponse<String> r =
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode body = JSON.readTree(r.body());
    if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IllegalStateException("query " + promql + " answered " + r.body());
    }
    return body.path("data").path("result");
  }

  /** Every value of label {@code name} among the series Prometheus holds. */
  List<String> labelValues(String name) throws IOException, InterruptedException {
    JsonNode body = JSON.readTree(get("/api/v1/label/" + name + "/values").body());
    List<String> out = new java.util.ArrayList<>();
    body.path("data").forEach(v -> out.add(v.asText()));
    return out;
  }

  /** The health of the scrape target as Prometheus last saw it ({@code up}, {@code down}...). */
  String targetHealth() throws IOException, InterruptedException {
    JsonNode body = JSON.readTree(get("/api/v1/targets").body());
    JsonNode active = body.path("data").path("activeTargets");
    return active.isEmpty()
        ? "none"
        : active.get(0).path("health").asText() + " " + active.get(0).path("lastError").asText();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
    dev.kafkadr.sandbox.process.Io.deleteTree(dir);
  }
}
