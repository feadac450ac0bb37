package dev.kafkadr.controller;

import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.LagHistory;
import dev.kafkadr.controller.lag.LagScanner;
import dev.kafkadr.controller.lag.LastGood;
import dev.kafkadr.controller.lag.RpoStatus;
import dev.kafkadr.controller.lag.Scan;
import dev.kafkadr.controller.registry.BootstrapRegistry;
import dev.kafkadr.controller.traffic.ClientBootstraps;
import dev.kafkadr.controller.traffic.DnsSwitchers;
import dev.kafkadr.controller.traffic.TrafficSwitch;
import dev.kafkadr.tenant.TenantConfigException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * Scans every tenant's replication on the configured interval, keeps the newest scan for the API
 * and the health check, and publishes it as metrics with low-cardinality tags (tenant, source,
 * target).
 */
@ApplicationScoped
public class LagMonitor {

  private static final Logger LOG = Logger.getLogger(LagMonitor.class);

  private final ControllerConfig config;
  private final MeterRegistry registry;
  private final AtomicReference<Scan> latest = new AtomicReference<>(Scan.none());
  private final LagHistory history = new LagHistory(Duration.ofMinutes(10));
  private final Map<String, LastGood> measured = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Set<String> gauged = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private TenantsFile tenants;
  private LagScanner scanner;
  private BootstrapRegistry bootstrap;
  private TrafficSwitch traffic;
  private Timer scanTimer;

  private final dev.kafkadr.controller.store.StateStore store;
  private final dev.kafkadr.controller.store.Leadership leadership;
  private final dev.kafkadr.controller.lag.SharedScans shared;

  LagMonitor(
      ControllerConfig config,
      MeterRegistry registry,
      dev.kafkadr.controller.store.StateStore store,
      dev.kafkadr.controller.store.Leadership leadership) {
    this.config = config;
    this.registry = registry;
    this.store = store;
    this.leadership = leadership;
    this.shared = new dev.kafkadr.controller.lag.SharedScans(store);
  }

  void start(@Observes StartupEvent event) {
    List<String> problems = ConfigCheck.problems(config);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "kafka-dr controller configuration is invalid:\n  " + String.join("\n  ", problems));
    }
    try {
      tenants = TenantsFileParser.parse(config.tenantsFile());
    } catch (TenantConfigException e) {
      throw new IllegalStateException("kdr.tenants-file: " + e.getMessage(), e);
    }
    var endpoints = config.connectEndpoints();
    java.util.stream.Stream.concat(
            endpoints.urlsByTarget().values().stream(),
            tenants.connect().clusters().values().stream().map(c -> c.url()))
        .distinct()
        .flatMap(u -> endpoints.plainHttpWarning(u).stream())
        .forEach(LOG::warn);
    bootstrap = new BootstrapRegistry(tenants, store, ClientBootstraps.fromAws(tenants.traffic()));
    // A registry file from before the state store is taken over by the acting replica.
    java.nio.file.Path legacy =
        config.registryFile().orElse(config.workflow().journalDir().resolve("registry.properties"));
    leadership.onElected(() -> bootstrap.importFile(legacy));
    traffic = new TrafficSwitch(tenants, bootstrap, DnsSwitchers.withDefaultCredentials());
    scanner =
        new LagScanner(
            tenants,
            config.scan().atRiskFraction(),
            config.scan().tailWindow(),
            config.connectEndpoints(),
            config.scan().readTimeout(),
            Clock.systemUTC(),
            config.workflow().journalDir().resolve("copy-runs.json"));
    scanTimer =
        Timer.builder("kdr.scan.duration")
            .description("Time one lag scan of every tenant on every flow takes")
            .register(registry);
    Gauge.builder(
            "kdr.scan.last.timestamp.seconds", latest, s -> s.get().at().toEpochMilli() / 1000.0)
        .description("When the newest completed scan started (Unix time)")
        .register(registry);
    Gauge.builder("kdr.scan.interval.seconds", config, c -> c.scan().interval().toMillis() / 1000.0)
        .description("Time between two scans (kdr.scan.interval): alerts scale with it")
        .register(registry);
    tenants.flows().forEach(this::tenantGauges);
    LOG.infof(
        "watching %d tenants on %d flows from %s every %s",
        tenants.tenants().size(),
        tenants.flows().size(),
        config.tenantsFile(),
        config.scan().interval());
  }

  /** The lag, RPO and health gauges of each tenant on {@code flow}, registered once. */
  private void tenantGauges(FlowSpec flow) {
    for (String tenant : flow.tenants()) {
      if (!gauged.add(tenant + "|" + flow.source() + "|" + flow.target())) {
        continue;
      }
      gauge(
          "kdr.tenant.lag.records",
          "Offsets not yet copied to the target (an upper bound); NaN when not measured",
          flow,
          tenant,
          f -> f.known() && fresh(f) ? f.lagRecords() : Double.NaN);
      gauge(
          "kdr.tenant.lag.seconds",
          "Age of the oldest record not yet copied: the data at risk, in time; NaN when not measured",
          flow,
          tenant,
          f -> f.known() && fresh(f) ? f.lagSeconds() : Double.NaN);
      gauge(
          "kdr.tenant.open.transaction.age.seconds",
          "Age of the oldest open transaction holding a source partition's last stable offset, 0"
              + " when none; NaN when its age is unknown",
          flow,
          tenant,
          f -> fresh(f) ? openTransactionAge(f) : Double.NaN);
      gauge(
          "kdr.tenant.measured.timestamp.seconds",
          "The instant the tenant's newest figures hold for (Unix time)",
          flow,
          tenant,
          f -> f.measuredAt().toEpochMilli() / 1000.0);
      gauge(
          "kdr.tenant.rpo.seconds",
          "The tenant's recovery point objective",
          flow,
          tenant,
          f -> f.rpo().toMillis() / 1000.0);
      gauge(
          "kdr.tenant.rpo.status",
          "0 OK, 1 AT_RISK, 2 BREACH, 3 UNKNOWN",
          flow,
          tenant,
          f -> (fresh(f) ? f.status() : RpoStatus.UNKNOWN).ordinal());
      gauge(
          "kdr.tenant.gaps",
          "Ranges of records lost to the copy",
          flow,
          tenant,
          f -> f.gaps().size());
      gauge(
          "kdr.tenant.heartbeat.age.seconds",
          "Age of the newest MM2 heartbeat of the flow on the target, -1 when there is none; NaN"
              + " when scans are late",
          flow,
          tenant,
          f -> fresh(f) ? f.health().heartbeatAgeSeconds() : Double.NaN);
      gauge(
          "kdr.tenant.connectors.failed",
          "Connectors and tasks of the flow that are FAILED, MISSING or UNREACHABLE",
          flow,
          tenant,
          f -> failed(f));
    }
  }

  /**
   * Whether {@code f} still says where its tenant stands now ({@link FlowLag#staleAt}): a gauge
   * read while scans are late reads NaN or UNKNOWN, as the API does, never the last figure.
   */
  private boolean fresh(FlowLag f) {
    return !f.staleAt(java.time.Instant.now(), staleAfter());
  }

  private static double openTransactionAge(FlowLag f) {
    double oldest = 0;
    for (var p : f.partitions()) {
      if (p.openTransaction() != null) {
        double age = p.openTransaction().ageSeconds(f.measuredAt().toEpochMilli());
        if (Double.isNaN(age)) {
          return Double.NaN;
        }
        oldest = Math.max(oldest, age);
      }
    }
    return oldest;
  }

  private static double failed(FlowLag f) {
    return f.health().connectors().stream()
        .mapToLong(
            c ->
                (List.of("FAILED", "MISSING", "UNREACHABLE").contains(c.state()) ? 1 : 0)
                    + c.tasks().stream().filter("FAILED"::equals).count())
        .sum();
  }

  private void gauge(
      String name,
      String description,
      FlowSpec flow,
      String tenant,
      ToDoubleFunction<FlowLag> value) {
    Gauge.builder(
            name,
            latest,
            scan ->
                find(scan.get(), tenant, flow.source(), flow.target())
                    .map(value::applyAsDouble)
                    .orElse(Double.NaN))
        .description(description)
        .tags(Tags.of("tenant", tenant, "source", flow.source(), "target", flow.target()))
        .register(registry);
  }

  private static java.util.Optional<FlowLag> find(
      Scan scan, String tenant, String source, String target) {
    return scan.flows().stream()
        .filter(
            f ->
                f.tenant().equals(tenant) && f.source().equals(source) && f.target().equals(target))
        .findFirst();
  }

  @Scheduled(
      every = "${kdr.scan.interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scan() {
    if (scanner == null) {
      return;
    }
    List<FlowSpec> flows = activeFlows();
    Scan scan = scanTimer.record(() -> scanner.scan(flows)).by(leadership.replicaId());
    latest.set(shown(scan));
    flows.forEach(this::tenantGauges);
    for (FlowLag f : scan.flows()) {
      String key = f.tenant() + "|" + f.source() + "|" + f.target();
      LastGood was = measured.get(key);
      if (was != null) {
        measured.put(key, was.next(f));
      } else if (f.known()) {
        measured.put(key, new LastGood(f, null, null));
      }
    }
    // A measurement of a flow the tenant stopped using must not outlive the switch: a failover
    // right after a failback would report from before the switchover.
    java.util.Set<String> active = new java.util.HashSet<>();
    flows.forEach(
        f -> f.tenants().forEach(t -> active.add(t + "|" + f.source() + "|" + f.target())));
    measured.keySet().retainAll(active);
    history.add(latest.get());
    scan.flows().stream()
        .filter(f -> f.problem() != null)
        .forEach(f -> LOG.warnf("%s %s->%s: %s", f.tenant(), f.source(), f.target(), f.problem()));
  }

  /**
   * What this replica serves of a scan it made: on a shared store the leader writes it there, and a
   * follower serves the leader's newest instead of its own while that is fresh (within {@link
   * #staleAfter()}), so every replica reports the same figures, labelled with who measured them.
   * This replica's own scan still feeds its record of the last good measurement, which it needs
   * when it takes over.
   */
  private Scan shown(Scan own) {
    if (!store.shared()) {
      return own;
    }
    try {
      if (leadership.leads()) {
        shared.publish(own);
        return own;
      }
      List<String> order = tenants.tenants().stream().map(t -> t.id()).toList();
      return shared.leaders(order, staleAfter(), Instant.now()).orElse(own);
    } catch (dev.kafkadr.controller.store.StoreException
        | dev.kafkadr.controller.store.StateStore.StaleWrite
        | IllegalStateException e) {
      LOG.debugf("the leader's scan is not shared: %s", e.getMessage());
      return own;
    }
  }

  /**
   * The flows that carry each tenant's data now: the file's, except that a tenant whose clients a
   * switchover or failover moved to a flow's target is measured on the reverse flow the workflow
   * started (target -> source), which then holds its data at risk. A flow whose reverse the file
   * declares for the tenant too (active-active) is always measured as declared.
   */
  List<FlowSpec> activeFlows() {
    List<FlowSpec> out = new java.util.ArrayList<>();
    for (FlowSpec flow : tenants.flows()) {
      List<String> home = new java.util.ArrayList<>();
      for (String tenant : flow.tenants()) {
        boolean declaredBack =
            tenants.flows().stream()
                .anyMatch(
                    f ->
                        f.source().equals(flow.target())
                            && f.target().equals(flow.source())
                            && f.tenants().contains(tenant));
        // Active-active tenants are measured on both declared flows, wherever their clients are.
        if (!declaredBack
            && bootstrap.clusterOf(tenant).filter(flow.target()::equals).isPresent()) {
          out.add(new FlowSpec(flow.target(), flow.source(), List.of(tenant)));
        } else {
          home.add(tenant);
        }
      }
      if (!home.isEmpty()) {
        out.add(new FlowSpec(flow.source(), flow.target(), home));
      }
    }
    return out;
  }

  /** Scans one flow now (the workflows' drain), declared in the tenants file or not. */
  public List<FlowLag> scanFlow(FlowSpec flow) {
    return scanner.scan(flow);
  }

  /**
   * The newest scan that measured the tenant's flow completely: after its source died, what was at
   * risk when it was last seen.
   */
  public Optional<FlowLag> lastMeasured(String tenant, String source, String target) {
    return lastGood(tenant, source, target).map(LastGood::last);
  }

  /**
   * The newest complete measurement of the tenant's flow, the one before it and when scans of it
   * started to fail: what an unplanned failover reports from.
   */
  public Optional<LastGood> lastGood(String tenant, String source, String target) {
    return Optional.ofNullable(measured.get(tenant + "|" + source + "|" + target));
  }

  /** The newest scan. */
  public Scan latest() {
    return latest.get();
  }

  /**
   * How old the newest measurement may be before it no longer counts: three scan intervals. Scans
   * that fall behind (a slow cluster, a read timing out) make figures older than this UNKNOWN in
   * the API, and the alert {@code KafkaDrScansLate} fires.
   */
  public Duration staleAfter() {
    return config.scan().interval().multipliedBy(3);
  }

  /** The last ten minutes of scans. */
  public LagHistory history() {
    return history;
  }

  /** Where each tenant's clients go now. */
  public BootstrapRegistry bootstrap() {
    return bootstrap;
  }

  /** Moves tenants' clients between clusters: DNS, then the bootstrap registry. */
  public TrafficSwitch traffic() {
    return traffic;
  }

  /** The Connect REST URLs by target and the credentials to call them with. */
  public dev.kafkadr.config.connect.ConnectEndpoints connectEndpoints() {
    return config.connectEndpoints();
  }

  /** The tenants file the controller watches. */
  public TenantsFile tenants() {
    return tenants;
  }

  /**
   * The runs the scans found in copy partition {@code copy} of flow {@code source -> target}
   * (recreated source topics, re-copies), oldest first; empty when none.
   */
  public List<dev.kafkadr.controller.lag.CopyIncarnations.Segment> copyRuns(
      String source, String target, org.apache.kafka.common.TopicPartition copy) {
    return scanner == null ? List.of() : scanner.incarnations().segments(source, target, copy);
  }

  void stop(@Observes ShutdownEvent event) {
    if (scanner != null) {
      scanner.close();
    }
    // Quarkus registers its registries under Micrometer's global composite, which outlives the
    // application: a restart in the same JVM (as the tests do) would otherwise get back this run's
    // meters, bound to this run's objects, for every meter id it registers again.
    registry.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("kdr."))
        .forEach(registry::remove);
  }
}
