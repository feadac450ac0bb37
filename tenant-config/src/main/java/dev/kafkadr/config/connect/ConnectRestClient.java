package dev.kafkadr.config.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A small client of the Kafka Connect REST API, with HTTP basic credentials where the API is locked
 * ({@link ConnectRestCredentials}).
 */
public final class ConnectRestClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Runnable beforeWrite;
  private final Optional<ConnectRestCredentials> credentials;
  private final HttpClient http;

  /** A client of the worker at {@code restUrl}, e.g. {@code http://127.0.0.1:8083}. */
  public ConnectRestClient(String restUrl) {
    this(restUrl, () -> {});
  }

  /**
   * A client that runs {@code beforeWrite} before every request that changes something (every
   * method but GET), each attempt included; an exception it throws stops the request unsent (the
   * failover controller checks its leader lease there).
   */
  public ConnectRestClient(String restUrl, Runnable beforeWrite) {
    this(restUrl, Optional.empty(), beforeWrite);
  }

  /**
   * A client that sends {@code credentials} with every request (a REST API locked with Connect's
   * {@code BasicAuthSecurityRestExtension}) and runs {@code beforeWrite} as above.
   */
  public ConnectRestClient(
      String restUrl, Optional<ConnectRestCredentials> credentials, Runnable beforeWrite) {
    this(restUrl, credentials, Optional.empty(), beforeWrite);
  }

  /**
   * As above, an {@code https://} worker's certificate checked against {@code trustedCertificates}
   * (PEM, one or more CA certificates) instead of the JVM's trust store, its host name too.
   *
   * @throws IllegalArgumentException when the PEM file cannot be read, naming it
   */
  public ConnectRestClient(
      String restUrl,
      Optional<ConnectRestCredentials> credentials,
      Optional<java.nio.file.Path> trustedCertificates,
      Runnable beforeWrite) {
    this.base = URI.create(restUrl.endsWith("/") ? restUrl : restUrl + "/");
    this.beforeWrite = beforeWrite;
    this.credentials = credentials;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    trustedCertificates.ifPresent(
        pem -> builder.sslContext(dev.kafkadr.client.ControllerTls.sslContext(pem)));
    this.http = builder.build();
  }

  /** Names of the connectors on the cluster. */
  public List<String> connectors() {
    List<String> names = new ArrayList<>();
    send("GET", "connectors", null).forEach(n -> names.add(n.asText()));
    return names;
  }

  /** Class names of the connector plugins the worker found. */
  public List<String> connectorPlugins() {
    List<String> names = new ArrayList<>();
    send("GET", "connector-plugins?connectorsOnly=false", null)
        .forEach(n -> names.add(n.get("class").asText()));
    return names;
  }

  /** Creates the connector, or updates its configuration. */
  public void putConnector(String name, Map<String, String> config) {
    send("PUT", "connectors/" + encode(name) + "/config", config);
  }

  /** The connector's current configuration. */
  public Map<String, String> connectorConfig(String name) {
    JsonNode node = send("GET", "connectors/" + encode(name) + "/config", null);
    return JSON.convertValue(
        node, JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
  }

  /** Validates a configuration for {@code connectorClass}; returns Connect's full answer. */
  public JsonNode validate(String connectorClass, Map<String, String> config) {
    String simple = connectorClass.substring(connectorClass.lastIndexOf('.') + 1);
    return send("PUT", "connector-plugins/" + encode(simple) + "/config/validate", config);
  }

  /** Pauses the connector and its tasks. */
  public void pause(String name) {
    send("PUT", "connectors/" + encode(name) + "/pause", null);
  }

  /** Resumes a paused connector. */
  public void resume(String name) {
    send("PUT", "connectors/" + encode(name) + "/resume", null);
  }

  /**
   * Stops the connector: no tasks run and its offsets can be altered (Connect 3.5+); {@link
   * #resume} starts it again.
   */
  public void stop(String name) {
    send("PUT", "connectors/" + encode(name) + "/stop", null);
  }

  /** Creates the connector in the STOPPED state (Connect 3.7+), so its offsets can be set first. */
  public void createStopped(String name, Map<String, String> config) {
    send("POST", "connectors", Map.of("name", name, "config", config, "initial_state", "STOPPED"));
  }

  /**
   * Sets the source offsets of a stopped connector (Connect 3.6+, KIP-875): each entry's source
   * partition and source offset, in the connector's own format.
   */
  public void alterOffsets(String name, List<Map<String, Map<String, Object>>> offsets) {
    send("PATCH", "connectors/" + encode(name) + "/offsets", Map.of("offsets", offsets));
  }

  /**
   * The source offsets the connector has committed (Connect 3.5+, KIP-875): its source partitions
   * with their offsets, as Connect stores them.
   */
  public List<Map<String, Map<String, Object>>> offsets(String name) {
    JsonNode node = send("GET", "connectors/" + encode(name) + "/offsets", null);
    List<Map<String, Map<String, Object>>> out = new ArrayList<>();
    for (JsonNode entry : node.path("offsets")) {
      out.add(
          Map.of(
              "partition",
              JSON.convertValue(
                  entry.path("partition"),
                  JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class)),
              "offset",
              JSON.convertValue(
                  entry.path("offset"),
                  JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class))));
    }
    return out;
  }

  /**
   * Forgets the source offsets of a stopped connector (Connect 3.6+, KIP-875): once resumed, it
   * starts where a new one would (MirrorMaker 2: from each partition's earliest offset).
   */
  public void resetOffsets(String name) {
    send("DELETE", "connectors/" + encode(name) + "/offsets", null);
  }

  /**
   * Restarts the connector and its tasks that are FAILED, and nothing that runs (Connect's {@code
   * POST /connectors/{name}/restart?includeTasks=true&onlyFailed=true}, Kafka 3.0+): a task failed
   * on a limit keeps failing until restarted after the limit was raised.
   */
  public void restartFailed(String name) {
    send("POST", "connectors/" + encode(name) + "/restart?includeTasks=true&onlyFailed=true", null);
  }

  /**
   * Restarts the connector and all of its tasks, running or not (Connect's {@code POST
   * /connectors/{name}/restart?includeTasks=true}, Kafka 3.0+), and returns the state Connect
   * answered with: what it is restarting shows {@code RESTARTING} (the restart itself happens
   * afterwards).
   */
  public ConnectorStatus restart(String name) {
    return parseStatus(
        name, send("POST", "connectors/" + encode(name) + "/restart?includeTasks=true", null));
  }

  /**
   * The configuration of each of the connector's tasks, in task order (Connect's {@code GET
   * /connectors/{name}/tasks}).
   */
  public List<Map<String, String>> taskConfigs(String name) {
    List<Map<String, String>> out = new ArrayList<>();
    for (JsonNode task : send("GET", "connectors/" + encode(name) + "/tasks", null)) {
      out.add(
          JSON.convertValue(
              task.path("config"),
              JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class)));
    }
    return out;
  }

  /** Deletes the connector. */
  public void delete(String name) {
    send("DELETE", "connectors/" + encode(name), null);
  }

  /** The connector's state and its tasks' states. */
  public ConnectorStatus status(String name) {
    return parseStatus(name, send("GET", "connectors/" + encode(name) + "/status", null));
  }

  private static ConnectorStatus parseStatus(String name, JsonNode node) {
    List<ConnectorStatus.Task> tasks = new ArrayList<>();
    for (JsonNode t : node.path("tasks")) {
      tasks.add(
          new ConnectorStatus.Task(
              t.path("id").asInt(),
              t.path("state").asText(),
              t.path("worker_id").asText(),
              t.hasNonNull("trace") ? t.get("trace").asText() : null));
    }
    JsonNode connector = node.path("connector");
    return new ConnectorStatus(
        name,
        connector.path("state").asText(),
        connector.hasNonNull("trace") ? connector.get("trace").asText() : null,
        tasks);
  }

  /**
   * Waits until the connector and all its tasks are RUNNING.
   *
   * @throws ConnectRestException naming the failed connector or task and its trace, or the state it
   *     was stuck in at the deadline
   */
  public ConnectorStatus awaitRunning(String name, Duration timeout) {
    return awaitRunning(name, 1, timeout);
  }

  /**
   * Waits until the connector and all its tasks are RUNNING, with at least {@code minTasks} tasks.
   *
   * @throws ConnectRestException as {@link #awaitRunning(String, Duration)}
   */
  public ConnectorStatus awaitRunning(String name, int minTasks, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ConnectorStatus last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = status(name);
        if (last.isRunning(minTasks)) {
          return last;
        }
        if (last.isFailed()) {
          throw new ConnectRestException(
              "connector " + name + " FAILED: " + firstLine(last.firstTrace()), 500);
        }
      } catch (ConnectRestException e) {
        if (e.status() != 404 && e.status() != -1 && e.status() != 409) {
          throw e;
        }
      }
      sleep();
    }
    throw new ConnectRestException(
        "connector " + name + " not RUNNING after " + timeout + "; last status: " + last, 408);
  }

  /**
   * Pauses a connector whose tasks run and waits until it and its tasks report PAUSED, so that no
   * task copies anything after this returns. It first waits for RUNNING: a worker's statuses are
   * read back from the status topic, and right after a resume they may still say PAUSED from the
   * pause before; once RUNNING was read, a PAUSED read later is this pause's (a task reports PAUSED
   * only when it has stopped polling).
   *
   * @throws ConnectRestException as {@link #awaitRunning(String, Duration)} and {@link
   *     #awaitPaused}, each given {@code timeout}
   */
  public ConnectorStatus pauseRunning(String name, Duration timeout) {
    awaitRunning(name, timeout);
    pause(name);
    return awaitPaused(name, timeout);
  }

  /**
   * Waits until the connector and its tasks are PAUSED, with at least one task: a status listing no
   * task (a task being restarted, as right after a resume) is not a paused one, and a task not yet
   * paused may still copy.
   *
   * @throws ConnectRestException with the state it was in at the deadline
   */
  public ConnectorStatus awaitPaused(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ConnectorStatus last = null;
    while (System.nanoTime() < deadline) {
      last = status(name);
      if ("PAUSED".equals(last.state())
          && !last.tasks().isEmpty()
          && last.tasks().stream().allMatch(t -> "PAUSED".equals(t.state()))) {
        return last;
      }
      sleep();
    }
    throw new ConnectRestException(
        "connector " + name + " not PAUSED after " + timeout + "; last status: " + last, 408);
  }

  /**
   * Waits until the connector is STOPPED with no task left: a source task commits its offsets as it
   * stops, so its committed offsets are final once it is gone.
   *
   * @throws ConnectRestException with the state it was in at the deadline
   */
  public ConnectorStatus awaitStopped(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ConnectorStatus last = null;
    while (System.nanoTime() < deadline) {
      last = status(name);
      if ("STOPPED".equals(last.state()) && last.tasks().isEmpty()) {
        return last;
      }
      sleep();
    }
    throw new ConnectRestException(
        "connector " + name + " not STOPPED after " + timeout + "; last status: " + last, 408);
  }

  /**
   * Sends one request, retried for up to {@link #REBALANCE_WAIT} while the Connect cluster is
   * rebalancing: Connect answers 409, or 500 "a rebalance is expected", until its workers agree on
   * the new assignment (every connector create, update or delete starts one).
   */
  private JsonNode send(String method, String path, Object body) {
    long deadline = System.nanoTime() + REBALANCE_WAIT.toNanos();
    while (true) {
      try {
        return sendOnce(method, path, body);
      } catch (ConnectRestException e) {
        boolean rebalancing =
            e.status() == 409
                || (e.status() == 500
                    && e.getMessage().toLowerCase(Locale.ROOT).contains("rebalance"));
        if (!rebalancing || System.nanoTime() > deadline) {
          throw e;
        }
        sleep();
      }
    }
  }

  private JsonNode sendOnce(String method, String path, Object body) {
    if (!"GET".equals(method)) {
      beforeWrite.run();
    }
    try {
      HttpRequest.BodyPublisher publisher =
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
      HttpRequest.Builder request =
          HttpRequest.newBuilder(base.resolve(path))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .method(method, publisher);
      credentials.ifPresent(c -> request.header("Authorization", c.authorization()));
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new ConnectRestException(
            method
                + " "
                + path
                + " answered "
                + response.statusCode()
                + ": "
                + message(response.body())
                + (response.statusCode() == 401 ? unauthorizedHint() : ""),
            response.statusCode());
      }
      return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new ConnectRestException(method + " " + base.resolve(path) + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectRestException("interrupted calling " + base.resolve(path), e);
    }
  }

  private String unauthorizedHint() {
    return credentials.isPresent()
        ? " (the REST user " + credentials.get().user() + " was refused)"
        : " (this Connect REST API is locked: give kafka-dr its REST user and password)";
  }

  /** How long a request waits out a rebalance of the Connect cluster. */
  private static final Duration REBALANCE_WAIT = Duration.ofSeconds(60);

  private static String message(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node.hasNonNull("message") ? node.get("message").asText() : body;
    } catch (IOException e) {
      return body;
    }
  }

  private static String firstLine(String trace) {
    return trace == null ? "(no trace)" : trace.lines().findFirst().orElse(trace);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void sleep() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectRestException("interrupted while waiting", e);
    }
  }
}
