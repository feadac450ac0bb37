package dev.kafkadr.sandbox;

import dev.kafkadr.config.connect.ConnectRestCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds and starts a {@link Sandbox}. */
public final class SandboxBuilder {
  private String name =
      "sbx-" + Long.toString(System.currentTimeMillis(), 36) + "-" + ProcessHandle.current().pid();
  private Path root = SandboxOptions.defaultRoot();
  private int brokersPerCluster = 1;
  private int connectWorkers = 1;
  private int exactlyOnceWorkers;
  private boolean dns = true;
  private boolean requireDns;
  private String brokerHeap = "512m";
  private String connectHeap = "768m";
  private final Map<String, String> brokerOverrides = new LinkedHashMap<>();
  private final Map<String, String> connectOverrides = new LinkedHashMap<>();
  private final List<Path> pluginPath = new ArrayList<>();
  private Duration startTimeout = Duration.ofSeconds(120);
  private boolean keepWorkDir = Boolean.getBoolean("kdr.sandbox.keep");
  private Optional<ConnectRestCredentials> connectRestUser = Optional.empty();
  private boolean secured;

  /** The sandbox name (and work directory name); unique per run by default. */
  public SandboxBuilder name(String name) {
    this.name = name;
    return this;
  }

  /** The parent of the work directory. */
  public SandboxBuilder root(Path root) {
    this.root = root;
    return this;
  }

  /** Brokers per cluster; 3 gives replication factor 3 so a broker can be killed. */
  public SandboxBuilder brokersPerCluster(int brokers) {
    this.brokersPerCluster = brokers;
    return this;
  }

  /** Connect workers in the group; 0 starts none. */
  public SandboxBuilder connectWorkers(int workers) {
    this.connectWorkers = workers;
    return this;
  }

  /**
   * Connect workers in a second Connect group whose workers run {@code
   * exactly.once.source.support=enabled} (KIP-618); none by default, so that the default group and
   * every other test keep their timings.
   */
  public SandboxBuilder exactlyOnceWorkers(int workers) {
    this.exactlyOnceWorkers = workers;
    return this;
  }

  /** Whether to start BIND (when installed). */
  public SandboxBuilder dns(boolean dns) {
    this.dns = dns;
    return this;
  }

  /** Fail instead of running without DNS when {@code named} is not installed. */
  public SandboxBuilder requireDns() {
    this.dns = true;
    this.requireDns = true;
    return this;
  }

  /** Heap of each broker JVM, e.g. {@code 512m}. */
  public SandboxBuilder brokerHeap(String heap) {
    this.brokerHeap = heap;
    return this;
  }

  /** Heap of each Connect worker JVM. */
  public SandboxBuilder connectHeap(String heap) {
    this.connectHeap = heap;
    return this;
  }

  /** A broker property that replaces the sandbox default on every broker. */
  public SandboxBuilder brokerProperty(String key, String value) {
    brokerOverrides.put(key, value);
    return this;
  }

  /** A worker property that replaces the sandbox default on every worker. */
  public SandboxBuilder connectProperty(String key, String value) {
    connectOverrides.put(key, value);
    return this;
  }

  /** A directory added to the workers' {@code plugin.path}. */
  public SandboxBuilder pluginPath(Path dir) {
    pluginPath.add(dir);
    return this;
  }

  /** How long start-up may take. */
  public SandboxBuilder startTimeout(Duration timeout) {
    this.startTimeout = timeout;
    return this;
  }

  /** Keep the work directory (logs) after close. */
  public SandboxBuilder keepWorkDir(boolean keep) {
    this.keepWorkDir = keep;
    return this;
  }

  /**
   * Locks the workers' REST API: Connect's {@code BasicAuthSecurityRestExtension} with one REST
   * user whose password the sandbox draws ({@link Sandbox#connectRestCredentials()}).
   */
  public SandboxBuilder lockConnectRest() {
    byte[] secret = new byte[18];
    new java.security.SecureRandom().nextBytes(secret);
    this.connectRestUser =
        Optional.of(
            new ConnectRestCredentials(
                "kafka-dr",
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret)));
    return this;
  }

  /**
   * The secured mode: every broker listener TLS with certificates from the sandbox's CA (none in
   * plain text), the sandbox, replication and kafka-dr's controller each logging in over mutual TLS
   * as its own principal with only its rights, tenants' applications over SASL_SSL ({@link
   * dev.kafkadr.sandbox.kafka.ClusterSecurity}); Connect's REST API over HTTPS only, locked as
   * {@link #lockConnectRest()} does.
   */
  public SandboxBuilder secured() {
    this.secured = true;
    return lockConnectRest();
  }

  /** The options as built so far. */
  public SandboxOptions options() {
    return new SandboxOptions(
        name,
        root,
        brokersPerCluster,
        connectWorkers,
        exactlyOnceWorkers,
        dns,
        requireDns,
        brokerHeap,
        connectHeap,
        Map.copyOf(brokerOverrides),
        Map.copyOf(connectOverrides),
        List.copyOf(pluginPath),
        startTimeout,
        keepWorkDir,
        connectRestUser,
        secured);
  }

  /**
   * Starts the sandbox and returns once every process is ready.
   *
   * @throws SandboxException listing every invalid option, or naming the process that failed
   */
  public Sandbox start() {
    SandboxOptions built = options();
    List<String> problems = built.problems();
    if (!problems.isEmpty()) {
      throw new SandboxException("invalid sandbox options:\n  " + String.join("\n  ", problems));
    }
    return Sandbox.start(built);
  }
}
