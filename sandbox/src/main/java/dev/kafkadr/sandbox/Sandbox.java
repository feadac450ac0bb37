package dev.kafkadr.sandbox;

import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectRestCredentials;
import dev.kafkadr.sandbox.connect.ConnectWorkerProcesses;
import dev.kafkadr.sandbox.dns.BindServer;
import dev.kafkadr.sandbox.kafka.ClusterSecurity;
import dev.kafkadr.sandbox.kafka.KafkaClusterProcesses;
import dev.kafkadr.sandbox.net.WanLink;
import dev.kafkadr.sandbox.process.ChildLogging;
import dev.kafkadr.sandbox.process.ChildProcess;
import dev.kafkadr.sandbox.process.Io;
import dev.kafkadr.sandbox.process.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local two-region stack: Kafka clusters {@code primary} and {@code secondary} (KRaft, child
 * JVMs), a Kafka Connect group able to run MirrorMaker 2, and a BIND DNS server, all on 127.0.0.1.
 *
 * <p>Every process is stopped by PID on {@link #close()}, by a shutdown hook on JVM exit, and, if
 * this JVM is killed, by the children themselves when their pipe to it closes. All files live under
 * {@link #workDir()}, which close removes.
 */
public final class Sandbox implements AutoCloseable {

  /** Name of the primary cluster. */
  public static final String PRIMARY = "primary";

  /** Name of the secondary cluster. */
  public static final String SECONDARY = "secondary";

  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

  /**
   * How long a child may take to shut down after SIGTERM before SIGKILL. Short: a sandbox's data is
   * deleted right after, so a graceful shutdown protects nothing, and Ctrl-C should be quick.
   */
  private static final Duration STOP_GRACE = Duration.ofSeconds(4);

  private final SandboxOptions options;
  private final Path workDir;
  private final Map<String, KafkaClusterProcesses> clusters = new LinkedHashMap<>();
  private final Map<String, WanLink> wanLinks = new LinkedHashMap<>();
  private ConnectWorkerProcesses connect;
  private ConnectWorkerProcesses exactlyOnceConnect;
  private dev.kafkadr.sandbox.tls.TlsAuthority tls;
  private BindServer dns;
  private final Thread shutdownHook = new Thread(this::stopAll, "kdr-sandbox-shutdown");
  private final AtomicBoolean closed = new AtomicBoolean();
  private Instant startedAt;
  private long startupMillis;

  private Sandbox(SandboxOptions options) {
    this.options = options;
    this.workDir = options.root().resolve(options.name()).toAbsolutePath();
  }

  /** A builder with the defaults: 1 broker per cluster, 1 Connect worker, DNS when installed. */
  public static SandboxBuilder builder() {
    return new SandboxBuilder();
  }

  /** Starts a sandbox with validated options; see {@link SandboxBuilder#start()}. */
  static Sandbox start(SandboxOptions options) {
    return new Sandbox(options).start();
  }

  private Sandbox start() {
    long t0 = System.nanoTime();
    startedAt = Instant.now();
    prepareWorkDir();
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      launch();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    startupMillis = (System.nanoTime() - t0) / 1_000_000;
    writeDescription();
    LOG.debug("{}", summary());
    return this;
  }

  private void prepareWorkDir() {
    StaleSandboxes.reap(options.root());
    StaleSandboxes.supervisor(workDir)
        .ifPresent(
            h -> {
              throw new SandboxException(
                  "sandbox '"
                      + options.name()
                      + "' is already running (supervisor PID "
                      + h.pid()
                      + ", "
                      + workDir
                      + "); stop it first");
            });
    Io.deleteTree(workDir);
    try {
      Files.createDirectories(workDir);
      StaleSandboxes.claim(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create sandbox directory " + workDir, e);
    }
  }

  private void launch() {
    Path log4j = ChildLogging.write(workDir);
    String marker = workDir.toString();
    Optional<ClusterSecurity> security =
        options.secured() ? Optional.of(new ClusterSecurity(tls())) : Optional.empty();
    for (String name : List.of(PRIMARY, SECONDARY)) {
      clusters.put(
          name,
          new KafkaClusterProcesses(
              name,
              options.brokersPerCluster(),
              workDir.resolve(name),
              marker,
              options.brokerHeap(),
              log4j,
              options.brokerOverrides(),
              security));
    }
    if (options.dns()) {
      dns = BindServer.prepare(workDir.resolve("dns")).orElse(null);
      if (dns == null) {
        String notice = "DNS: named not found (Debian package bind9); the sandbox runs without DNS";
        if (options.requireDns()) {
          throw new SandboxException(
              notice.replace("the sandbox runs without", "but this run needs"));
        }
        LOG.warn(notice);
      }
    }
    clusters.values().forEach(KafkaClusterProcesses::start);
    if (dns != null) {
      dns.start();
    }
    writeDescription();
    clusters.values().forEach(c -> c.awaitReady(options.startTimeout()));
    clusters.values().forEach(c -> c.grantPrincipals(SECONDARY.equals(c.name())));
    if (options.connectWorkers() > 0 || options.exactlyOnceWorkers() > 0) {
      KafkaClusterProcesses home = clusters.get(SECONDARY);
      List<Path> pluginPath = new ArrayList<>(options.pluginPath());
      Path emptyPluginDir = workDir.resolve("plugins");
      pluginPath.add(emptyPluginDir);
      emptyPluginDir.toFile().mkdirs();
      int rf = Math.min(3, options.brokersPerCluster());
      java.util.function.Function<ConnectWorkerProcesses.Group, ConnectWorkerProcesses> start =
          group -> {
            ConnectWorkerProcesses workers =
                new ConnectWorkerProcesses(
                    group,
                    workDir,
                    marker,
                    options.connectHeap(),
                    log4j,
                    home,
                    rf,
                    pluginPath,
                    connectRestCredentials());
            workers.start();
            return workers;
          };
      Map<String, String> overrides = options.connectOverrides();
      if (options.connectWorkers() > 0) {
        connect =
            start.apply(ConnectWorkerProcesses.Group.standard(options.connectWorkers(), overrides));
      }
      if (options.exactlyOnceWorkers() > 0) {
        exactlyOnceConnect =
            start.apply(
                ConnectWorkerProcesses.Group.exactlyOnce(options.exactlyOnceWorkers(), overrides));
      }
      writeDescription();
    }
    if (dns != null) {
      dns.awaitReady(options.startTimeout());
    }
    for (ConnectWorkerProcesses group : connectGroups()) {
      group.awaitReady(options.startTimeout());
    }
  }

  private List<ConnectWorkerProcesses> connectGroups() {
    List<ConnectWorkerProcesses> out = new ArrayList<>();
    if (connect != null) {
      out.add(connect);
    }
    if (exactlyOnceConnect != null) {
      out.add(exactlyOnceConnect);
    }
    return out;
  }

  /**
   * The wide-area link in front of cluster {@code name}, opened on first use: cross-region clients
   * bootstrap at its {@link WanLink#bootstrapServers()}; the link is closed with the sandbox.
   */
  public synchronized WanLink wan(String name) {
    return wanLinks.computeIfAbsent(name, n -> WanLink.open(n, cluster(n).wanRoutes()));
  }

  /** The primary cluster. */
  public KafkaClusterProcesses primary() {
    return cluster(PRIMARY);
  }

  /** The secondary cluster. */
  public KafkaClusterProcesses secondary() {
    return cluster(SECONDARY);
  }

  /** The cluster with this name. */
  public KafkaClusterProcesses cluster(String name) {
    KafkaClusterProcesses cluster = clusters.get(name);
    if (cluster == null) {
      throw new SandboxException("no cluster '" + name + "'; clusters: " + clusters.keySet());
    }
    return cluster;
  }

  /**
   * The {@code clusters:} of a tenants file for its two clusters, a line each: PLAINTEXT, or in
   * secured mode mutual TLS as the replication principal, its store passwords as references.
   */
  public String tenantsFileClusters() {
    return SandboxText.tenantsFileClusters(primary(), secondary());
  }

  /**
   * In secured mode, a client settings file (security keys only, passwords as references) that logs
   * {@code principal} in to either cluster, for {@link dev.kafkadr.config.ClientIdentity}; written
   * on first call.
   *
   * @throws SandboxException when the sandbox is not secured
   */
  public Path clientIdentity(String principal) {
    return SandboxText.clientIdentity(primary(), principal);
  }

  /** The REST URL of the first Connect worker. */
  public String connectRestUrl() {
    if (connect == null) {
      throw new SandboxException("this sandbox was started with no Connect worker");
    }
    return connect.restUrl(1);
  }

  /**
   * The REST URL of Connect worker {@code n} (1-based) of the default group, whose role is {@code
   * connect-<n>} and whose worker id in connector statuses is the URL's {@code host:port}.
   *
   * @throws SandboxException when there is no such worker
   */
  public String connectRestUrl(int n) {
    if (connect == null || n < 1 || n > connect.workers().size()) {
      throw new SandboxException("this sandbox has no Connect worker " + n);
    }
    return connect.restUrl(n);
  }

  /** A REST client of the first Connect worker, with the REST user where the API is locked. */
  public ConnectRestClient connect() {
    return new ConnectRestClient(
        connectRestUrl(), connectRestCredentials(), connectRestTrust(), () -> {});
  }

  /** The sandbox's certificate authority (keytool, in its work directory), made on first use. */
  public synchronized dev.kafkadr.sandbox.tls.TlsAuthority tls() {
    if (tls == null) {
      tls = dev.kafkadr.sandbox.tls.TlsAuthority.create(workDir.resolve("tls"));
    }
    return tls;
  }

  /**
   * The CA certificate (PEM) the workers' HTTPS REST API is checked against on a secured sandbox;
   * empty where the REST API is plain HTTP.
   */
  public Optional<Path> connectRestTrust() {
    return options.secured() ? Optional.of(tls().caCertificate()) : Optional.empty();
  }

  /** The workers' REST user ({@link SandboxBuilder#lockConnectRest()}); empty when open. */
  public Optional<ConnectRestCredentials> connectRestCredentials() {
    return options.connectRestUser();
  }

  /**
   * The REST URL of the first worker of the exactly-once Connect group ({@code
   * exactly.once.source.support=enabled}).
   *
   * @throws SandboxException when the sandbox was started without that group
   */
  public String exactlyOnceConnectRestUrl() {
    return exactlyOnceConnectRestUrl(1);
  }

  /**
   * The REST URL of worker {@code n} (1-based) of the exactly-once Connect group, whose role is
   * {@code connect-eos-<n>}.
   *
   * @throws SandboxException when the sandbox has no such worker
   */
  public String exactlyOnceConnectRestUrl(int n) {
    if (exactlyOnceConnect == null) {
      throw new SandboxException(
          "this sandbox was started with no exactly-once Connect worker (exactlyOnceWorkers 0)");
    }
    if (n < 1 || n > exactlyOnceConnect.workers().size()) {
      throw new SandboxException("this sandbox has no exactly-once Connect worker " + n);
    }
    return exactlyOnceConnect.restUrl(n);
  }

  /**
   * The {@code connectClusters:} section of a tenants file declaring the exactly-once Connect group
   * as {@code eos}, for tenants with {@code delivery: exactly-once, connectCluster: eos}.
   */
  public String tenantsFileConnectClusters() {
    return "connectClusters:\n  - {name: eos, url: \""
        + exactlyOnceConnectRestUrl()
        + "\", exactlyOnceSource: enabled}\n";
  }

  /** The DNS server, when BIND is installed and was requested. */
  public Optional<StackDescription.Dns> dns() {
    return Optional.ofNullable(dns).map(BindServer::describe);
  }

  /** The one directory holding every file of this sandbox. */
  public Path workDir() {
    return workDir;
  }

  /** How long start-up took. */
  public Duration startupTime() {
    return Duration.ofMillis(startupMillis);
  }

  /** The current description (PIDs, ports, directories), also kept in {@code stack.json}. */
  public StackDescription description() {
    Map<String, StackDescription.Cluster> described = new LinkedHashMap<>();
    List<StackDescription.Proc> procs = new ArrayList<>();
    clusters.forEach(
        (name, c) -> {
          described.put(name, c.describe());
          procs.addAll(c.describeProcesses());
        });
    List<StackDescription.ConnectWorker> workers = new ArrayList<>();
    for (ConnectWorkerProcesses group : connectGroups()) {
      procs.addAll(group.describeProcesses());
      workers.addAll(group.describe());
    }
    if (dns != null) {
      procs.add(dns.describeProcess());
    }
    return new StackDescription(
        options.name(),
        workDir.toString(),
        ProcessHandle.current().pid(),
        String.valueOf(startedAt),
        startupMillis,
        described,
        workers,
        dns == null ? null : dns.describe(),
        procs);
  }

  /** Total resident memory of the sandbox's processes, in bytes. */
  public long residentBytes() {
    return allProcesses().stream()
        .filter(ChildProcess::isAlive)
        .mapToLong(p -> Signals.residentBytes(p.pid()).orElse(0L))
        .sum();
  }

  /** Kills the process with this role (SIGKILL), as a crash would. */
  public void kill(String role) {
    process(role).kill();
    writeDescription();
  }

  /** Suspends the process with this role (SIGSTOP). */
  public void pause(String role) {
    process(role).pause();
  }

  /** Resumes the process with this role (SIGCONT). */
  public void resume(String role) {
    process(role).resume();
  }

  /** Starts a killed process again with the same configuration and data. */
  public void restart(String role) {
    process(role).start();
    writeDescription();
  }

  /** Whether the process with this role is running. */
  public boolean isAlive(String role) {
    return process(role).isAlive();
  }

  /** Every role, e.g. {@code primary-broker-1}, {@code connect-1}, {@code dns}. */
  public List<String> roles() {
    return allProcesses().stream().map(ChildProcess::role).toList();
  }

  private ChildProcess process(String role) {
    return allProcesses().stream()
        .filter(p -> p.role().equals(role))
        .findFirst()
        .orElseThrow(
            () -> new SandboxException("no process with role '" + role + "'; roles: " + roles()));
  }

  private List<ChildProcess> allProcesses() {
    List<ChildProcess> all = new ArrayList<>();
    clusters.values().forEach(c -> all.addAll(c.nodes()));
    connectGroups().forEach(g -> all.addAll(g.workers()));
    if (dns != null) {
      all.add(dns.process());
    }
    return all;
  }

  private void writeDescription() {
    description().write(workDir.resolve(StackDescription.FILE_NAME));
  }

  /** One line saying what runs where and how long start-up took. */
  public String summary() {
    return SandboxText.summary(
        description(),
        connect == null ? null : connectRestUrl(),
        exactlyOnceConnect == null ? null : exactlyOnceConnectRestUrl(),
        options.secured() ? tls().caCertificate() : null,
        residentBytes());
  }

  /** Stops every process by PID (Connect first, then brokers and DNS) and deletes the work dir. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // Called from the hook itself, or during JVM shutdown: nothing to remove.
      }
    }
  }

  private synchronized void stopAll() {
    wanLinks.values().forEach(WanLink::close);
    List<ChildProcess> workers = new ArrayList<>();
    connectGroups().forEach(g -> workers.addAll(g.workers()));
    stopInParallel(workers);
    List<ChildProcess> rest = new ArrayList<>();
    clusters.values().forEach(c -> rest.addAll(c.nodes()));
    if (dns != null) {
      rest.add(dns.process());
    }
    stopInParallel(rest);
    if (!options.keepWorkDir()) {
      try {
        Io.deleteTree(workDir);
      } catch (UncheckedIOException e) {
        LOG.warn("could not delete {}: {}", workDir, e.getMessage());
      }
    }
  }

  private static void stopInParallel(List<ChildProcess> processes) {
    CompletableFuture.allOf(
            processes.stream()
                .map(p -> CompletableFuture.runAsync(() -> p.stop(STOP_GRACE)))
                .toArray(CompletableFuture[]::new))
        .join();
  }
}
