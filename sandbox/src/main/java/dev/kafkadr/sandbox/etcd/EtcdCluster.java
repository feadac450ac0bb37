package dev.kafkadr.sandbox.etcd;

import dev.kafkadr.sandbox.SandboxException;
import dev.kafkadr.sandbox.process.ChildProcess;
import dev.kafkadr.sandbox.process.FreePorts;
import dev.kafkadr.sandbox.process.Io;
import dev.kafkadr.sandbox.process.NativeServer;
import dev.kafkadr.sandbox.tls.TlsAuthority;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real etcd cluster on 127.0.0.1 (Debian's {@code etcd-server}): one member per named place, by
 * default {@code primary}, {@code secondary} and {@code witness} (one per region and a third place
 * that breaks ties), each a {@link NativeServer} child with its own data directory, client port and
 * peer port. Elections are tuned for one machine (heartbeat 100 ms, election timeout 1,000 ms,
 * etcd's defaults) and the key space is compacted automatically, keeping the newest 1,000
 * revisions.
 *
 * <p>Stopped by PID on {@link #close()}; a member can be killed, paused and restarted on its data
 * directory ({@link #member(String)}).
 */
public final class EtcdCluster implements AutoCloseable {

  /** The members' names when none are given. */
  public static final List<String> DEFAULT_MEMBERS = List.of("primary", "secondary", "witness");

  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private static final String ADMIN = dev.kafkadr.sandbox.kafka.ClusterSecurity.ADMIN;

  private final Path dir;
  private final Map<String, ChildProcess> members = new LinkedHashMap<>();
  private final Map<String, Integer> clientPorts = new LinkedHashMap<>();
  private final Optional<TlsAuthority> tls;
  private final String scheme;
  private final HttpClient http;

  private EtcdCluster(Path dir, Path etcd, List<String> names, Optional<TlsAuthority> tls) {
    this.dir = dir;
    this.tls = tls;
    this.scheme = tls.isPresent() ? "https" : "http";
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500));
    // The sandbox's own certificate: members started with --client-cert-auth require one.
    tls.ifPresent(t -> builder.sslContext(t.sslContext(ADMIN)));
    this.http = builder.build();
    List<Integer> ports = FreePorts.allocate(names.size() * 2, false);
    String token = "kdr-" + UUID.randomUUID();
    StringBuilder initial = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      clientPorts.put(names.get(i), ports.get(2 * i));
      initial.append(i == 0 ? "" : ",").append(names.get(i)).append('=').append(peer(ports, i));
    }
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String client = scheme + "://127.0.0.1:" + ports.get(2 * i);
      List<String> command =
          new ArrayList<>(
              List.of(
                  etcd.toString(),
                  "--name=" + name,
                  "--data-dir=" + dir.resolve(name + ".etcd"),
                  "--listen-client-urls=" + client,
                  "--advertise-client-urls=" + client,
                  "--listen-peer-urls=" + peer(ports, i),
                  "--initial-advertise-peer-urls=" + peer(ports, i),
                  "--initial-cluster=" + initial,
                  "--initial-cluster-token=" + token,
                  "--initial-cluster-state=new",
                  // A member that comes back (or starts late) does not depose a working leader.
                  "--pre-vote=true",
                  "--auto-compaction-mode=revision",
                  "--auto-compaction-retention=1000",
                  "--logger=zap",
                  "--log-outputs=stderr"));
      tls.ifPresent(t -> command.addAll(tlsFlags(t)));
      members.put(name, NativeServer.prepare("etcd-" + name, dir, command));
    }
  }

  private String peer(List<Integer> ports, int i) {
    return scheme + "://127.0.0.1:" + ports.get(2 * i + 1);
  }

  /**
   * Client and peer traffic over TLS only, with a certificate of the sandbox's CA, and a
   * certificate of that CA required of every client and peer.
   */
  private static List<String> tlsFlags(TlsAuthority tls) {
    TlsAuthority.ServerCertificate member = tls.issue("etcd");
    String ca = tls.caCertificate().toString();
    List<String> flags = new ArrayList<>();
    for (String side : List.of("", "peer-")) {
      flags.add("--" + side + "cert-file=" + member.certificateChain());
      flags.add("--" + side + "key-file=" + member.privateKey());
      flags.add("--" + side + "client-cert-auth=true");
      flags.add("--" + side + "trusted-ca-file=" + ca);
    }
    return flags;
  }

  /**
   * Starts a cluster of {@code names} in {@code dir} and waits until every member reports a healthy
   * cluster (a leader elected).
   *
   * @throws SandboxException when etcd is not installed, or a member exits or is not healthy within
   *     {@code timeout} (with the last lines of its log)
   */
  public static EtcdCluster start(Path dir, List<String> names, Duration timeout) {
    return start(dir, names, timeout, Optional.empty());
  }

  /**
   * As {@link #start(Path, List, Duration)}, with {@code tls}: every client and peer URL {@code
   * https}, the members' certificate from {@code tls}, and a client certificate of its CA required
   * ({@code --client-cert-auth}); {@link #authority()} gives the files a client needs.
   */
  public static EtcdCluster start(
      Path dir, List<String> names, Duration timeout, Optional<TlsAuthority> tls) {
    Path etcd =
        find()
            .orElseThrow(
                () ->
                    new SandboxException(
                        "etcd is not installed: apt-get install etcd-server etcd-client (the"
                            + " test suite's install step does it as root)"));
    EtcdCluster cluster = new EtcdCluster(dir, etcd, names, tls);
    try {
      cluster.members.values().forEach(ChildProcess::start);
      for (String name : names) {
        cluster.awaitHealthy(name, timeout);
      }
      cluster.awaitWritable(timeout);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Where {@code etcd} is installed, if it is. */
  public static Optional<Path> find() {
    return Stream.concat(
            Stream.of(Path.of("/usr/bin/etcd")),
            Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(s -> !s.isEmpty())
                .map(p -> Path.of(p, "etcd")))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Every member's client URL, {@code http(s)://127.0.0.1:<port>}, in member order. */
  public List<String> endpoints() {
    return clientPorts.values().stream().map(p -> scheme + "://127.0.0.1:" + p).toList();
  }

  /** The members' client ports, in member order. */
  public List<Integer> clientPorts() {
    return List.copyOf(clientPorts.values());
  }

  /** The authority whose certificates the members serve and require, when they use TLS. */
  public Optional<TlsAuthority> authority() {
    return tls;
  }

  /**
   * The endpoints joined with commas, as etcdctl's {@code --endpoints} and kafka-dr's config take.
   */
  public String endpointList() {
    return endpoints().stream().collect(Collectors.joining(","));
  }

  /** Member {@code name}'s client URL. */
  public String endpoint(String name) {
    Integer port = clientPorts.get(name);
    if (port == null) {
      throw new IllegalArgumentException("no etcd member " + name + "; members: " + names());
    }
    return scheme + "://127.0.0.1:" + port;
  }

  /** The members' names. */
  public List<String> names() {
    return new ArrayList<>(members.keySet());
  }

  /** Member {@code name}'s process: kill, pause, resume, restart on its data directory. */
  public ChildProcess member(String name) {
    ChildProcess member = members.get(name);
    if (member == null) {
      throw new IllegalArgumentException("no etcd member " + name + "; members: " + names());
    }
    return member;
  }

  /**
   * Waits until member {@code name} answers its health endpoint with a healthy cluster.
   *
   * @throws SandboxException when it exits or is not healthy within {@code timeout}
   */
  public void awaitHealthy(String name, Duration timeout) {
    ChildProcess member = member(name);
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (true) {
      if (!member.isAlive()) {
        throw new SandboxException(
            member.role() + " exited during start-up; last lines of its log:\n" + member.tail(30));
      }
      try {
        HttpResponse<String> health =
            http.send(
                HttpRequest.newBuilder(URI.create(endpoint(name) + "/health"))
                    .timeout(Duration.ofSeconds(1))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        last = health.statusCode() + " " + health.body();
        if (health.statusCode() == 200 && health.body().contains("\"true\"")) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SandboxException("interrupted while waiting for " + member.role(), e);
      }
      if (System.nanoTime() > deadline) {
        throw new SandboxException(
            member.role()
                + " not healthy after "
                + timeout
                + " (last answer: "
                + last
                + "); last lines of its log:\n"
                + member.tail(30));
      }
      Io.sleep(100);
    }
  }

  /**
   * Waits until a write goes through (etcd's JSON gateway, {@code POST /v3/kv/put} of a key of its
   * own): a cluster just started may still change leader once, failing writes in flight.
   *
   * @throws SandboxException when none goes through within {@code timeout}
   */
  public void awaitWritable(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String body =
        "{\"key\":\""
            + java.util.Base64.getEncoder().encodeToString("kdr-sandbox-ready".getBytes())
            + "\",\"value\":\"MQ==\"}";
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      for (String endpoint : endpoints()) {
        try {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(endpoint + "/v3/kv/put"))
                      .timeout(Duration.ofSeconds(3))
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200 && r.body().contains("\"header\"")) {
            return;
          }
          last = r.statusCode() + " " + r.body();
        } catch (IOException e) {
          last = e.toString();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SandboxException("interrupted while waiting for etcd", e);
        }
      }
      Io.sleep(100);
    }
    throw new SandboxException("no write went through etcd within " + timeout + ": " + last);
  }

  /** The directory holding the members' data, wrapper and logs. */
  public Path dir() {
    return dir;
  }

  /** Stops every member by PID (SIGTERM, SIGKILL after 5 s). */
  @Override
  public void close() {
    members.values().forEach(m -> m.stop(STOP_GRACE));
  }
}
