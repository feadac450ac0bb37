package dev.kafkadr.controller.failover;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.controller.ControllerConfig;
import dev.kafkadr.controller.LagMonitor;
import dev.kafkadr.controller.registry.BootstrapRegistry;
import dev.kafkadr.controller.store.StateStore;
import dev.kafkadr.controller.store.StoreConfig;
import dev.kafkadr.controller.store.StoreException;
import dev.kafkadr.controller.workflow.Fences;
import dev.kafkadr.tenant.Tenant;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.jboss.logging.Logger;

/**
 * Patroni's demotion of a primary cut from its store, for Kafka: a replica in the region of the
 * cluster a tenant is on that has lost the shared store (no quorum read) for longer than the leader
 * lease's TTL fences the tenant's producers on that cluster (DENY ACLs, {@link Fences}), for each
 * tenant whose policy says {@code fenceOnStoreLoss} and {@code automatic}: the regions that still
 * hold the store may be failing it over, and its clients must not go on writing to a cluster the
 * copy no longer reads. When the store answers again and the tenant was not moved meanwhile (same
 * cluster, same registry epoch, no workflow holding it), the fence is lifted; when it was moved,
 * the fence stays (the failback lowers it).
 */
@ApplicationScoped
public class StoreLossFence {

  private static final Logger LOG = Logger.getLogger(StoreLossFence.class);

  /**
   * A fence this replica raised.
   *
   * @param cluster where
   * @param epoch the registry epoch the tenant had there
   * @param at when
   * @param bindings how many DENY bindings it added
   */
  public record Fenced(String cluster, long epoch, Instant at, int bindings) {}

  private final ControllerConfig config;
  private final StoreConfig storeConfig;
  private final LagMonitor monitor;
  private final StateStore store;
  private final MeterRegistry meters;
  private final Map<String, BootstrapRegistry.Entry> lastKnown = new ConcurrentHashMap<>();
  private final Map<String, Fenced> fenced = new ConcurrentHashMap<>();
  private volatile Instant lostSince;
  private final ScheduledExecutorService deadline =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kdr-store-loss-fence");
            t.setDaemon(true);
            return t;
          });
  private ScheduledFuture<?> due;

  StoreLossFence(
      ControllerConfig config,
      StoreConfig storeConfig,
      LagMonitor monitor,
      StateStore store,
      MeterRegistry meters) {
    this.config = config;
    this.storeConfig = storeConfig;
    this.monitor = monitor;
    this.store = store;
    this.meters = meters;
    Gauge.builder("kdr.store.lost.seconds", this, f -> f.lostSeconds())
        .description(
            "How long this replica has been cut from the shared state store (no quorum read), 0"
                + " while it answers")
        .register(meters);
  }

  private double lostSeconds() {
    Instant since = lostSince;
    return since == null ? 0 : Duration.between(since, Instant.now()).toMillis() / 1000.0;
  }

  /** One round: is the store there; fence or lift as due. */
  @Scheduled(
      every = "${kdr.failover.probe-interval}",
      delayed = "3s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void round() {
    if (!store.shared() || monitor.tenants() == null || config.region().isEmpty()) {
      return;
    }
    // The store is lost from the start of the first read it did not answer (at most one probe
    // interval after the last it answered), not from that read's end: counted from the end, the
    // read's timeout (kdr.store.etcd.request-timeout) would be added to the time the region's
    // clients may write while the other regions may be taking over.
    Instant asked = Instant.now();
    boolean answers;
    try {
      store.get(AutoFailovers.DISABLED);
      answers = true;
    } catch (StoreException e) {
      answers = false;
    }
    if (answers) {
      lostSince = null;
      disarmDeadline();
      for (Tenant t : guarded()) {
        try {
          monitor.bootstrap().get(t.id()).ifPresent(e -> lastKnown.put(t.id(), e));
        } catch (StoreException e) {
          // a lookup between two rounds' checks: next round
        }
      }
      fenced.keySet().forEach(this::liftIfNotMoved);
      return;
    }
    if (lostSince == null) {
      lostSince = asked;
      LOG.warnf("the state store does not answer this replica (%s)", config.region().get());
      // due at lostSince + the lease's TTL exactly, not at the end of the first round after it
      // (rounds are as long as the store's request timeout while it does not answer)
      armDeadline(asked);
    }
    fenceIfLostLongerThanTheLease();
  }

  private synchronized void armDeadline(Instant since) {
    long delay =
        Duration.between(Instant.now(), since.plus(storeConfig.etcd().leaseTtl())).toMillis();
    due =
        deadline.schedule(
            this::fenceIfLostLongerThanTheLease, Math.max(0, delay) + 1, TimeUnit.MILLISECONDS);
  }

  private synchronized void disarmDeadline() {
    if (due != null) {
      due.cancel(false);
      due = null;
    }
  }

  /** Fences every guarded tenant on this region's cluster once the store was lost past the TTL. */
  private synchronized void fenceIfLostLongerThanTheLease() {
    Instant since = lostSince;
    if (since == null
        || Duration.between(since, Instant.now()).compareTo(storeConfig.etcd().leaseTtl()) <= 0) {
      return;
    }
    for (Tenant t : guarded()) {
      if (!fenced.containsKey(t.id())) {
        fenceIfHere(t, since);
      }
    }
  }

  @PreDestroy
  void stopDeadlines() {
    deadline.shutdownNow();
  }

  /** The tenants whose policy asks for it: automatic failover with fenceOnStoreLoss. */
  private List<Tenant> guarded() {
    return monitor.tenants().tenants().stream()
        .filter(
            t ->
                monitor.tenants().failover(t.id()).automatic()
                    && monitor.tenants().failover(t.id()).fenceOnStoreLoss())
        .toList();
  }

  private void fenceIfHere(Tenant tenant, Instant since) {
    BootstrapRegistry.Entry entry = lastKnown.get(tenant.id());
    if (entry == null) {
      return;
    }
    ClusterSpec cluster = monitor.tenants().cluster(entry.cluster());
    if (!cluster.region().equals(config.region().get())) {
      return;
    }
    List<AclBinding> bindings = Fences.bindings(monitor.tenants(), tenant, Fences.Kind.PRODUCERS);
    try (Admin admin = admin(cluster)) {
      int added = Fences.raise(admin, bindings);
      fenced.put(tenant.id(), new Fenced(cluster.alias(), entry.epoch(), Instant.now(), added));
      gauge(tenant.id());
      LOG.errorf(
          "cut from the state store for %s (more than the lease's %s): the producers of %s are"
              + " fenced on %s (%d DENY bindings added) so that they cannot write while the other"
              + " regions may fail it over",
          Duration.between(since, Instant.now()),
          storeConfig.etcd().leaseTtl(),
          tenant.id(),
          cluster.alias(),
          added);
    } catch (Exception e) {
      LOG.errorf("could not fence %s on %s: %s", tenant.id(), cluster.alias(), e.getMessage());
    }
  }

  private void liftIfNotMoved(String tenant) {
    Fenced f = fenced.get(tenant);
    BootstrapRegistry.Entry now = lastKnown.get(tenant);
    try {
      boolean held = store.get("locks/" + tenant).isPresent();
      if (now != null && now.cluster().equals(f.cluster()) && now.epoch() == f.epoch() && !held) {
        Tenant t =
            monitor.tenants().tenants().stream()
                .filter(x -> x.id().equals(tenant))
                .findFirst()
                .orElseThrow();
        try (Admin admin = admin(monitor.tenants().cluster(f.cluster()))) {
          int removed =
              Fences.lower(admin, Fences.bindings(monitor.tenants(), t, Fences.Kind.PRODUCERS));
          LOG.warnf(
              "the state store answers again and %s was not moved: its fence on %s is lifted"
                  + " (%d bindings)",
              tenant, f.cluster(), removed);
        }
      } else {
        LOG.warnf(
            "the state store answers again; %s was moved or is being moved: its fence on %s stays"
                + " (a failback lowers it)",
            tenant, f.cluster());
      }
      fenced.remove(tenant);
    } catch (Exception e) {
      LOG.warnf("fence of %s on %s not lifted yet: %s", tenant, f.cluster(), e.getMessage());
    }
  }

  /** The fences this replica raised and has not lifted, by tenant. */
  public Map<String, Fenced> fenced() {
    return Map.copyOf(fenced);
  }

  private void gauge(String tenant) {
    Gauge.builder("kdr.tenant.fenced.on.store.loss", fenced, m -> m.containsKey(tenant) ? 1 : 0)
        .description(
            "1 while this replica, cut from the state store, keeps the tenant's producers fenced"
                + " on the cluster in its region")
        .tags("tenant", tenant)
        .register(meters);
  }

  private Admin admin(ClusterSpec cluster) {
    Map<String, Object> conf = new HashMap<>(ClusterClients.adminConfig(cluster));
    conf.put("client.id", "kdr-store-loss-fence");
    conf.put("request.timeout.ms", 5000);
    conf.put("default.api.timeout.ms", 10000);
    return Admin.create(conf);
  }
}
