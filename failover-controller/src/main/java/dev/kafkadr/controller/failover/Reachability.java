package dev.kafkadr.controller.failover;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.controller.ControllerConfig;
import dev.kafkadr.controller.LagMonitor;
import dev.kafkadr.controller.store.Leadership;
import dev.kafkadr.controller.store.StateStore;
import dev.kafkadr.controller.store.StoreException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaFuture;
import org.jboss.logging.Logger;

/**
 * This replica's reachability probes, leader or not: every {@code kdr.failover.probe-interval} one
 * metadata request ({@code DescribeCluster}) per cluster of the tenants file, all in parallel, each
 * answered within {@code kdr.failover.probe-timeout} or the cluster counts unreachable from here
 * (every broker of its bootstrap list is tried by the client). Each round is written to the state
 * store as this replica's {@link Observation}, the leader's evidence for an automatic failover.
 */
@ApplicationScoped
public class Reachability {

  private static final Logger LOG = Logger.getLogger(Reachability.class);

  private final ControllerConfig config;
  private final LagMonitor monitor;
  private final StateStore store;
  private final Leadership leadership;
  private final Map<String, Admin> admins = new ConcurrentHashMap<>();
  private final Map<String, Observation.Probe> state = new ConcurrentHashMap<>();
  private final AtomicReference<Observation> latest = new AtomicReference<>();
  private volatile String storeProblem;

  Reachability(
      ControllerConfig config, LagMonitor monitor, StateStore store, Leadership leadership) {
    this.config = config;
    this.monitor = monitor;
    this.store = store;
    this.leadership = leadership;
  }

  /** One round of probes, written to the store. */
  @Scheduled(
      every = "${kdr.failover.probe-interval}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void probe() {
    if (monitor.tenants() == null) {
      return;
    }
    Duration timeout = config.failover().probeTimeout();
    Map<String, KafkaFuture<String>> asked = new LinkedHashMap<>();
    for (ClusterSpec c : monitor.tenants().clusters()) {
      asked.put(
          c.alias(),
          admin(c)
              .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
              .clusterId());
    }
    long deadline = System.nanoTime() + timeout.toNanos() + 500_000_000L;
    Map<String, Observation.Probe> round = new LinkedHashMap<>();
    for (var e : asked.entrySet()) {
      String error = null;
      try {
        e.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException ex) {
        error = firstLine(ex.getCause() == null ? ex : ex.getCause());
      } catch (TimeoutException ex) {
        error = "no answer within " + timeout.toMillis() + " ms";
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      }
      boolean reachable = error == null;
      long now = System.currentTimeMillis();
      Observation.Probe was = state.get(e.getKey());
      long since = was != null && was.reachable() == reachable ? was.since() : now;
      Observation.Probe p = new Observation.Probe(reachable, since, error);
      if (was == null || was.reachable() != reachable) {
        LOG.infof(
            "%s is %s from this replica%s",
            e.getKey(), reachable ? "reachable" : "unreachable", reachable ? "" : ": " + error);
      }
      state.put(e.getKey(), p);
      round.put(e.getKey(), p);
    }
    Observation o =
        new Observation(
            leadership.replicaId(),
            config.region().orElse(null),
            System.currentTimeMillis(),
            // a round lasts up to the timeout when a cluster does not answer: the next one
            // comes that much later
            Math.max(
                config.failover().probeInterval().toMillis(),
                config.failover().probeTimeout().toMillis() + 500),
            round);
    latest.set(o);
    try {
      store.observe(keyName(leadership.replicaId()), o.toJson());
      storeProblem = null;
    } catch (StoreException | IllegalArgumentException ex) {
      if (storeProblem == null) {
        LOG.warnf(
            "this replica's probes cannot be written to the state store: %s", ex.getMessage());
      }
      storeProblem = ex.getMessage();
    }
  }

  /**
   * A replica id as the name of its observation's key: a state key name holds only letters, digits,
   * {@code .}, {@code _} and {@code -}, and the default replica id is {@code host:port}.
   */
  static String keyName(String replicaId) {
    if (replicaId.matches("[A-Za-z0-9._-]+") && !replicaId.matches("\\.{1,2}")) {
      return replicaId;
    }
    // replaced characters, and a hash of the id so that h:1 and h_1 keep apart
    return replicaId.replaceAll("[^A-Za-z0-9._-]", "_")
        + "-"
        + Integer.toHexString(replicaId.hashCode());
  }

  /** This replica's newest round, if it has made one. */
  public java.util.Optional<Observation> latest() {
    return java.util.Optional.ofNullable(latest.get());
  }

  /**
   * Every replica's newest observation in the store, this replica's own newest round included even
   * when the store did not take it.
   *
   * @throws StoreException when the store does not answer
   */
  public java.util.List<Observation> all() {
    Map<String, Observation> out = new HashMap<>();
    for (var d : store.list(StateStore.OBSERVATIONS).entrySet()) {
      try {
        Observation seen = Observation.parse(d.getValue().value());
        out.put(seen.replica(), seen); // by replica id: the key is the id made a state key name
      } catch (IllegalArgumentException e) {
        LOG.warnf("observation %s skipped: %s", d.getKey(), e.getMessage());
      }
    }
    latest().ifPresent(o -> out.put(o.replica(), o));
    return java.util.List.copyOf(out.values());
  }

  private Admin admin(ClusterSpec c) {
    return admins.computeIfAbsent(
        c.alias(),
        a -> {
          Map<String, Object> conf = new HashMap<>(ClusterClients.adminConfig(c));
          int ms = (int) config.failover().probeTimeout().toMillis();
          conf.put("client.id", "kdr-probe-" + a);
          conf.put("request.timeout.ms", ms);
          conf.put("default.api.timeout.ms", ms);
          conf.put("socket.connection.setup.timeout.ms", Math.min(ms, 1000));
          conf.put("socket.connection.setup.timeout.max.ms", Math.min(ms, 1000));
          conf.put("reconnect.backoff.max.ms", 500);
          conf.put("retry.backoff.max.ms", 500);
          return Admin.create(conf);
        });
  }

  private static String firstLine(Throwable t) {
    String m = t.getClass().getSimpleName() + ": " + t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  void stop(@Observes ShutdownEvent event) {
    admins.values().forEach(a -> a.close(Duration.ZERO));
  }
}
