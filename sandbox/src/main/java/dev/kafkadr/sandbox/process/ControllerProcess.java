package dev.kafkadr.sandbox.process;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The failover controller as the demo, the benchmarks and the tests that kill it run it: the
 * packaged application ({@code failover-controller/target/quarkus-app}) in a child JVM on
 * 127.0.0.1, configured by system properties, stopped by PID. It serves HTTPS only when its
 * configuration names a certificate ({@value #TLS_CERTIFICATE}, as {@link #sandboxConfig} does),
 * plain HTTP otherwise.
 */
public final class ControllerProcess implements AutoCloseable {

  /** The key naming the controller's certificate chain (PEM) in its configuration. */
  public static final String TLS_CERTIFICATE = "quarkus.tls.key-store.pem.0.cert";

  /** The key naming the controller's private key (PEM) in its configuration. */
  public static final String TLS_KEY = "quarkus.tls.key-store.pem.0.key";

  private final ChildProcess process;
  private final int port;
  private final dev.kafkadr.client.ControllerTls tls;

  /** How one controller is started: its constructor, which returns once it is ready. */
  @FunctionalInterface
  public interface Launch {
    /**
     * Starts the controller and waits until it is ready.
     *
     * @throws Exception as the constructor does, when it did not become ready
     */
    ControllerProcess start() throws Exception;
  }

  /**
   * Starts the controllers of {@code launches} at once (each waits until its controller is ready:
   * 10-25 s apiece on the 2-core machine, its JVM's start and its first lag scan) and puts each one
   * that started into {@code into} under its name, so that the caller's teardown stops it by PID
   * even when another failed.
   *
   * @throws Exception the first launch's failure, the others' added as suppressed, once every
   *     launch has ended
   */
  public static void startTogether(
      Map<String, Launch> launches, Map<String, ControllerProcess> into) throws Exception {
    Map<String, java.util.concurrent.Future<ControllerProcess>> running =
        new java.util.LinkedHashMap<>();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, launches.size()));
    try {
      launches.forEach((name, launch) -> running.put(name, pool.submit(launch::start)));
      Exception first = null;
      for (var e : running.entrySet()) {
        try {
          into.put(e.getKey(), e.getValue().get());
        } catch (java.util.concurrent.ExecutionException failed) {
          Exception cause =
              failed.getCause() instanceof Exception c ? c : new IllegalStateException(failed);
          if (first == null) {
            first = cause;
          } else {
            first.addSuppressed(cause);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      // Interrupted while waiting: each launch still running stops its own child (the
      // constructor closes it when interrupted); one that had started is stopped here.
      pool.shutdownNow();
      pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
      for (var e : running.entrySet()) {
        if (!into.containsKey(e.getKey()) && e.getValue().isDone() && !e.getValue().isCancelled()) {
          try {
            e.getValue().get().close();
          } catch (java.util.concurrent.ExecutionException failed) {
            // it did not start: nothing to stop
          }
        }
      }
    }
  }

  /** Starts the controller with {@code config} ({@code kdr.*} keys) and waits until it is ready. */
  public ControllerProcess(Path jar, Map<String, String> config, Path log) throws Exception {
    this(jar, FreePorts.allocate(1, false).get(0), config, log);
  }

  /**
   * Starts the controller on {@code port} (a restarted controller keeps its address) and waits
   * until it is ready.
   */
  public ControllerProcess(Path jar, int port, Map<String, String> config, Path log)
      throws Exception {
    this(jar, port, config, log, List.of());
  }

  /**
   * Starts the controller on {@code port} through {@code launcher}, a command prefix that keeps the
   * PID (such as {@link dev.kafkadr.sandbox.net.NetworkCut#launcher()}, which starts it inside a
   * group whose network a test can cut), and waits until it is ready.
   */
  public ControllerProcess(
      Path jar, int port, Map<String, String> config, Path log, List<String> launcher)
      throws Exception {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the controller is not built: "
              + jar
              + " is missing (mvn -pl failover-controller -am package)");
    }
    this.port = port;
    String certificate = config.get(TLS_CERTIFICATE);
    // The chain holds the CA's certificate too: trusting it trusts every replica the CA signed.
    this.tls =
        certificate == null
            ? dev.kafkadr.client.ControllerTls.plainHttpAllowed()
            : dev.kafkadr.client.ControllerTls.trusting(Path.of(certificate));
    List<String> command = new ArrayList<>(launcher);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    // Secrets go in the environment (as MicroProfile Config names it: KDR_CONNECT_REST_PASSWORD),
    // never on the command line, which every local user can read.
    Map<String, String> secrets = new java.util.HashMap<>();
    config.forEach(
        (k, v) -> {
          if (k.toLowerCase(java.util.Locale.ROOT).contains("password")) {
            secrets.put(k.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT), v);
          } else {
            command.add("-D" + k + "=" + v);
          }
        });
    if (certificate == null) {
      command.add("-Dquarkus.http.port=" + port);
    } else {
      command.add("-Dquarkus.http.ssl-port=" + port);
      command.add("-Dquarkus.http.insecure-requests=disabled");
    }
    command.add("-Dquarkus.log.category.\"org.apache.kafka\".level=ERROR");
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    this.process = new ChildProcess("controller", command, log).environment(secrets);
    process.start();
    boolean ready = false;
    try {
      awaitReady();
      ready = true;
    } finally {
      if (!ready) {
        close(); // not ready, interrupted or anything unforeseen: stopped by PID, not left behind
      }
    }
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    HttpClient http = tls.httpClient().build();
    while (true) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // still starting
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the controller did not become ready:\n" + process.tail(30));
      }
      Thread.sleep(200);
    }
  }

  /** Where the controller listens: {@code https://127.0.0.1:<port>}, or http without TLS. */
  public String url() {
    return (tls.allowPlainHttp() ? "http" : "https") + "://127.0.0.1:" + port;
  }

  /**
   * How its clients check it: the certificates that sign its own (its chain, CA included), or plain
   * HTTP allowed when it serves no TLS.
   */
  public dev.kafkadr.client.ControllerTls tls() {
    return tls;
  }

  /**
   * The controller's configuration on {@code sandbox}: the tenants file {@code dir/tenants.yaml},
   * the sandbox's Connect cluster for both clusters' flows, a users file written to {@code dir}
   * with each of {@code users} (name to role) holding {@code password}, the workflow journal in
   * {@code dir}, a scan every second, and HTTPS with a certificate of the sandbox's CA ({@link
   * dev.kafkadr.sandbox.Sandbox#tls()}); the Connect REST user and CA where the sandbox has them;
   * on a secured sandbox, its own principal on both clusters ({@code kdr.client-config.<alias>},
   * {@link dev.kafkadr.sandbox.kafka.ClusterSecurity#CONTROLLER}).
   */
  public static Map<String, String> sandboxConfig(
      dev.kafkadr.sandbox.Sandbox sandbox, Path dir, Map<String, String> users, String password)
      throws java.io.IOException {
    Path usersFile = dir.resolve("users.properties");
    StringBuilder lines = new StringBuilder();
    users.forEach(
        (name, role) ->
            lines
                .append(name)
                .append('=')
                .append(role)
                .append(':')
                .append(dev.kafkadr.config.auth.PasswordHash.hash(password.toCharArray()))
                .append('\n'));
    Files.writeString(usersFile, lines);
    Map<String, String> config = new java.util.HashMap<>();
    config.put("kdr.tenants-file", dir.resolve("tenants.yaml").toString());
    config.put("kdr.scan.interval", "1s");
    config.put("kdr.connect." + dev.kafkadr.sandbox.Sandbox.PRIMARY, sandbox.connectRestUrl());
    config.put("kdr.connect." + dev.kafkadr.sandbox.Sandbox.SECONDARY, sandbox.connectRestUrl());
    config.put("kdr.auth.users-file", usersFile.toString());
    config.put("kdr.workflow.journal-dir", dir.resolve("workflows").toString());
    config.put("kdr.workflow.settle-timeout", "10s");
    sandbox
        .connectRestCredentials()
        .ifPresent(
            rest -> {
              config.put("kdr.connect-rest.user", rest.user());
              config.put("kdr.connect-rest.password", rest.password());
            });
    sandbox
        .connectRestTrust()
        .ifPresent(ca -> config.put("kdr.connect-rest.truststore", ca.toString()));
    if (sandbox.primary().security().isPresent()) {
      // Secured: the controller logs in as its own principal, not as replication.
      Path identity = sandbox.clientIdentity(dev.kafkadr.sandbox.kafka.ClusterSecurity.CONTROLLER);
      for (String cluster :
          List.of(dev.kafkadr.sandbox.Sandbox.PRIMARY, dev.kafkadr.sandbox.Sandbox.SECONDARY)) {
        config.put(dev.kafkadr.config.ClientIdentity.property(cluster), identity.toString());
      }
    }
    var certificate = sandbox.tls().issue("controller");
    config.put(TLS_CERTIFICATE, certificate.certificateChain().toString());
    config.put(TLS_KEY, certificate.privateKey().toString());
    return config;
  }

  /** The packaged controller in the build tree, from the repository root or a module. */
  public static Path inBuildTree() {
    for (String root : List.of(".", "..")) {
      Path jar = Path.of(root, "failover-controller", "target", "quarkus-app", "quarkus-run.jar");
      if (Files.isRegularFile(jar)) {
        return jar;
      }
    }
    return Path.of("failover-controller", "target", "quarkus-app", "quarkus-run.jar");
  }

  /**
   * A client of its bootstrap registry as {@code user} (a client role), caching answers in {@code
   * cacheDir}.
   */
  public dev.kafkadr.client.Registry registry(Path cacheDir, String user, String password) {
    return new dev.kafkadr.client.Registry(
        List.of(URI.create(url())), cacheDir, Duration.ofSeconds(2), user, password, tls);
  }

  /** The PID of the controller's JVM (not of its launcher). */
  public long pid() {
    return process.pid();
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** Suspends it with SIGSTOP, as a long GC pause or a frozen VM would. */
  public void pause() {
    process.pause();
  }

  /** Resumes it with SIGCONT. */
  public void resume() {
    process.resume();
  }

  /** Its log file. */
  public Path log() {
    return process.logFile();
  }

  /** Kills it with SIGKILL, as a crash would. */
  public void kill() {
    process.kill();
  }

  /** Whether its JVM still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
  }
}
