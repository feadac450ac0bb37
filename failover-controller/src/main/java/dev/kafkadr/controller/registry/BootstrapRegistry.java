package dev.kafkadr.controller.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.controller.store.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Kept in the controller's {@link StateStore} as the document {@code registry/<tenant>} (JSON:
 * cluster, epoch, since) and read from it on every lookup, so every replica hands clients the
 * cluster the leader last switched to, and a restart changes nothing for clients. A switch is a
 * compare-and-set on the document's version: two switches cannot both move from one epoch.
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

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TenantsFile file;
  private final StateStore store;
  private final Map<String, String> clusterIds = new LinkedHashMap<>();
  private final Map<String, Instant> lastTried = new LinkedHashMap<>();
  private final Instant started = Instant.now();

  /** How long a cluster whose id could not be read is left alone before it is asked again. */
  private static final java.time.Duration RETRY = java.time.Duration.ofSeconds(30);

  private final Function<ClusterSpec, String> bootstrapOf;

  /** How long lookups read without a quorum after a read with one failed, before trying again. */
  private static final long QUORUM_RETRY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

  private volatile long quorumLostAt = System.nanoTime() - QUORUM_RETRY_NANOS;

  /** A registry of {@code file}'s tenants, kept in {@code store}. */
  public BootstrapRegistry(TenantsFile file, StateStore store) {
    this(file, store, ClusterSpec::bootstrap);
  }

  /**
   * A registry whose clusters' bootstrap servers come from {@code bootstrapOf} (MSK discovery)
   * instead of the tenants file.
   */
  public BootstrapRegistry(
      TenantsFile file, StateStore store, Function<ClusterSpec, String> bootstrapOf) {
    this.file = file;
    this.store = store;
    this.bootstrapOf = bootstrapOf;
  }

  /**
   * Takes over the entries of a registry file written before the state store ({@code
   * <tenant>.cluster}, {@code .epoch}, {@code .since} properties) for tenants the store has none
   * of; nothing when the file does not exist. Needs a replica that may write the store.
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  public synchronized void importFile(Path legacy) {
    if (!Files.exists(legacy)) {
      return;
    }
    Properties saved = new Properties();
    try (var in = Files.newBufferedReader(legacy)) {
      saved.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("registry file " + legacy + " cannot be read", e);
    }
    for (var tenant : file.tenants()) {
      String id = tenant.id();
      String alias = saved.getProperty(id + ".cluster");
      if (alias != null && reachable(id).contains(alias) && store.get(key(id)).isEmpty()) {
        long epoch = Long.parseLong(saved.getProperty(id + ".epoch", "0"));
        Instant since = Instant.parse(saved.getProperty(id + ".since", Instant.now().toString()));
        store.put(key(id), json(alias, epoch, since), 0);
      }
    }
  }

  private static String key(String tenant) {
    return "registry/" + tenant;
  }

  private static String json(String cluster, long epoch, Instant since) {
    try {
      return JSON.writeValueAsString(
          Map.of("cluster", cluster, "epoch", epoch, "since", since.toString()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tenant's stored entry and the document's version (0: none stored, the tenant is home). */
  private record Stored(Entry entry, long version) {}

  private Stored stored(String tenant) {
    return stored(tenant, store.get(key(tenant)));
  }

  private Stored stored(String tenant, Optional<StateStore.Doc> doc) {
    if (doc.isPresent()) {
      try {
        var node = JSON.readTree(doc.get().value());
        String alias = node.path("cluster").asText();
        if (reachable(tenant).contains(alias)) {
          return new Stored(
              entry(
                  tenant,
                  alias,
                  node.path("epoch").asLong(),
                  Instant.parse(node.path("since").asText())),
              doc.get().version());
        }
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException(
            "registry entry of " + tenant + " cannot be read: " + doc.get().value(), e);
      }
    }
    return new Stored(
        entry(tenant, home(tenant), 0, started), doc.map(d -> d.version()).orElse(0L));
  }

  /**
   * The cluster the tenant's clients are on, as recorded (no cluster is asked); empty if unknown.
   */
  public synchronized Optional<String> clusterOf(String tenant) {
    return get(tenant).map(Entry::cluster);
  }

  /**
   * The tenant's entry; empty for an unknown tenant. While the store cannot answer with a quorum
   * (etcd has lost two of three members), the entry as the member reached holds it: nothing can
   * move the tenant meanwhile, so clients keep finding their cluster.
   *
   * @throws dev.kafkadr.controller.store.StoreException when no member answers at all
   */
  public synchronized Optional<Entry> get(String tenant) {
    if (file.tenants().stream().noneMatch(t -> t.id().equals(tenant))) {
      return Optional.empty();
    }
    Optional<StateStore.Doc> doc;
    if (System.nanoTime() - quorumLostAt < QUORUM_RETRY_NANOS) {
      // a lookup waiting out a request timeout per call would fail the clients' own timeouts
      doc = store.getLatestKnown(key(tenant));
    } else {
      try {
        doc = store.get(key(tenant));
      } catch (dev.kafkadr.controller.store.StoreException e) {
        quorumLostAt = System.nanoTime();
        doc = store.getLatestKnown(key(tenant));
      }
    }
    return Optional.of(stored(tenant, doc).entry());
  }

  /**
   * Moves the tenant's clients to {@code cluster}, a cluster its flows connect; the epoch grows.
   *
   * @throws IllegalArgumentException for an unknown tenant or a cluster the tenant is not on
   * @throws StateStore.StaleWrite when another switch came first, or this replica may not write
   */
  public synchronized Entry switchTo(String tenant, String cluster) {
    check(tenant, cluster);
    Stored now = stored(tenant);
    Entry next = entry(tenant, cluster, now.entry().epoch() + 1, Instant.now());
    store.put(key(tenant), json(cluster, next.epoch(), next.since()), now.version());
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
    Entry now =
        get(tenant).orElseThrow(() -> new IllegalArgumentException("no tenant \"" + tenant + "\""));
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
    Admin admin = null;
    try {
      admin = Admin.create(ClusterClients.adminConfig(cluster));
      String id = admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
      clusterIds.put(cluster.alias(), id);
      return id;
    } catch (Exception e) {
      return null; // unreachable, or its bootstrap servers do not resolve
    } finally {
      if (admin != null) {
        // Not close(): it waits for the unanswered call to time out (30 s and more per cluster).
        admin.close(java.time.Duration.ZERO);
      }
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
}
