package dev.kafkadr.controller.registry;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.config.TenantsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;

/**
 * Which cluster each tenant's clients should use now: its bootstrap servers, the cluster's id (so a
 * client can tell one cluster from another) and an epoch that grows with every switch. A tenant
 * starts on the source of its first flow; a switch moves it to another cluster its flows connect.
 * Kept in a properties file when one is configured, so a restart of the controller changes nothing
 * for clients.
 */
public final class BootstrapRegistry {

  /**
   * Where a tenant's clients go.
   *
   * @param tenant tenant id
   * @param cluster cluster alias
   * @param bootstrapServers its bootstrap servers
   * @param clusterId its Kafka cluster id, or null when it could not be read
   * @param epoch grows by one with every switch
   * @param since when the tenant was put there
   */
  public record Entry(
      String tenant,
      String cluster,
      String bootstrapServers,
      String clusterId,
      long epoch,
      Instant since) {}

  private final TenantsFile file;
  private final Optional<Path> store;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, String> clusterIds = new LinkedHashMap<>();
  private final Map<String, Instant> lastTried = new LinkedHashMap<>();

  /** How long a cluster whose id could not be read is left alone before it is asked again. */
  private static final java.time.Duration RETRY = java.time.Duration.ofSeconds(30);

  private final Function<ClusterSpec, String> bootstrapOf;

  /** A registry of {@code file}'s tenants, kept in {@code store} when present. */
  public BootstrapRegistry(TenantsFile file, Optional<Path> store) {
    this(file, store, ClusterSpec::bootstrap);
  }

  /**
   * A registry whose clusters' bootstrap servers come from {@code bootstrapOf} (MSK discovery)
   * instead of the tenants file.
   */
  public BootstrapRegistry(
      TenantsFile file, Optional<Path> store, Function<ClusterSpec, String> bootstrapOf) {
    this.file = file;
    this.store = store;
    this.bootstrapOf = bootstrapOf;
    Properties saved = load();
    for (var tenant : file.tenants()) {
      String id = tenant.id();
      String alias = saved.getProperty(id + ".cluster");
      if (alias == null || !reachable(id).contains(alias)) {
        alias = home(id);
      }
      long epoch = Long.parseLong(saved.getProperty(id + ".epoch", "0"));
      Instant since = Instant.parse(saved.getProperty(id + ".since", Instant.now().toString()));
      entries.put(id, entry(id, alias, epoch, since));
    }
  }

  /**
   * The cluster the tenant's clients are on, as recorded (no cluster is asked); empty if unknown.
   */
  public synchronized Optional<String> clusterOf(String tenant) {
    return Optional.ofNullable(entries.get(tenant)).map(Entry::cluster);
  }

  /** The tenant's entry; empty for an unknown tenant. */
  public synchronized Optional<Entry> get(String tenant) {
    Entry e = entries.get(tenant);
    if (e != null && e.clusterId() == null) {
      e = entry(tenant, e.cluster(), e.epoch(), e.since());
      entries.put(tenant, e);
    }
    return Optional.ofNullable(e);
  }

  /**
   * Moves the tenant's clients to {@code cluster}, a cluster its flows connect; the epoch grows.
   *
   * @throws IllegalArgumentException for an unknown tenant or a cluster the tenant is not on
   */
  public synchronized Entry switchTo(String tenant, String cluster) {
    Entry now = check(tenant, cluster);
    Entry next = entry(tenant, cluster, now.epoch() + 1, Instant.now());
    entries.put(tenant, next);
    save();
    return next;
  }

  /** The clusters the tenant's flows connect, the only ones it may be moved to. */
  public Set<String> clusters(String tenant) {
    return reachable(tenant);
  }

  /**
   * The tenant's entry, once it is known that the tenant may move to {@code cluster}.
   *
   * @throws IllegalArgumentException for an unknown tenant or a cluster it is not replicated to
   */
  public synchronized Entry check(String tenant, String cluster) {
    Entry now = entries.get(tenant);
    if (now == null) {
      throw new IllegalArgumentException("no tenant \"" + tenant + "\"");
    }
    Set<String> allowed = reachable(tenant);
    if (!allowed.contains(cluster)) {
      throw new IllegalArgumentException(
          "tenant \""
              + tenant
              + "\" is not replicated to \""
              + cluster
              + "\"; its clusters: "
              + allowed);
    }
    return now;
  }

  private Entry entry(String tenant, String alias, long epoch, Instant since) {
    ClusterSpec cluster = file.cluster(alias);
    return new Entry(tenant, alias, bootstrapOf.apply(cluster), clusterId(cluster), epoch, since);
  }

  /**
   * The cluster id, read once per cluster; null while the cluster cannot be reached, asked again at
   * most every {@link #RETRY} so that requests are not held up by an unreachable cluster.
   */
  private String clusterId(ClusterSpec cluster) {
    String known = clusterIds.get(cluster.alias());
    Instant tried = lastTried.get(cluster.alias());
    if (known != null || (tried != null && tried.plus(RETRY).isAfter(Instant.now()))) {
      return known;
    }
    lastTried.put(cluster.alias(), Instant.now());
    Admin admin = Admin.create(ClusterClients.adminConfig(cluster));
    try {
      String id = admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
      clusterIds.put(cluster.alias(), id);
      return id;
    } catch (Exception e) {
      return null;
    } finally {
      // Not close(): it waits for the unanswered call to time out (30 s and more per cluster).
      admin.close(java.time.Duration.ZERO);
    }
  }

  private String home(String tenant) {
    return file.flows().stream()
        .filter(f -> f.tenants().contains(tenant))
        .map(FlowSpec::source)
        .findFirst()
        .orElse(file.clusters().get(0).alias());
  }

  private Set<String> reachable(String tenant) {
    Set<String> out = new LinkedHashSet<>();
    for (FlowSpec f : file.flows()) {
      if (f.tenants().contains(tenant)) {
        out.add(f.source());
        out.add(f.target());
      }
    }
    return out;
  }

  private Properties load() {
    Properties p = new Properties();
    if (store.isPresent() && Files.exists(store.get())) {
      try (var in = Files.newBufferedReader(store.get())) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("kdr.registry-file " + store.get() + " cannot be read", e);
      }
    }
    return p;
  }

  private void save() {
    if (store.isEmpty()) {
      return;
    }
    Properties p = new Properties();
    entries
        .values()
        .forEach(
            e -> {
              p.setProperty(e.tenant() + ".cluster", e.cluster());
              p.setProperty(e.tenant() + ".epoch", Long.toString(e.epoch()));
              p.setProperty(e.tenant() + ".since", e.since().toString());
            });
    try {
      Path parent = store.get().toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path tmp = store.get().resolveSibling(store.get().getFileName() + ".tmp");
      try (var out = Files.newBufferedWriter(tmp)) {
        p.store(out, "kafka-dr bootstrap registry: where each tenant's clients go");
      }
      Files.move(
          tmp, store.get(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("kdr.registry-file " + store.get() + " cannot be written", e);
    }
  }
}
