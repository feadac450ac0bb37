package dev.kafkadr.controller.failover;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.controller.ControllerConfig;
import dev.kafkadr.controller.LagMonitor;
import dev.kafkadr.controller.store.Leadership;
import dev.kafkadr.controller.store.StateStore;
import dev.kafkadr.controller.store.StoreException;
import dev.kafkadr.controller.workflow.WorkflowKind;
import dev.kafkadr.controller.workflow.WorkflowRefused;
import dev.kafkadr.controller.workflow.WorkflowRun;
import dev.kafkadr.controller.workflow.Workflows;
import dev.kafkadr.tenant.Tenant;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Automatic failover: every probe interval each replica decides for every tenant ({@link
 * AutoFailoverDecision}) and exports where each stands ({@code kdr.tenant.failover.automatic.state}
 * by {@link AutoFailoverDecision.State}'s ordinal); only the leader acts, starting the unplanned
 * failover with the decision as its trigger (journaled, in the audit log). A guard rail holding a
 * failover back is written to the audit log once per episode, and the alert {@code
 * KafkaDrAutomaticFailoverHeld} fires. An operator can disable automatic failover everywhere (the
 * store's document {@code automatic-failover/disabled}, written by the leader).
 */
@ApplicationScoped
public class AutoFailovers {

  private static final Logger LOG = Logger.getLogger(AutoFailovers.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The actor automatic failovers are started and audited as. */
  public static final String ACTOR = "automatic-failover";

  static final String DISABLED = "automatic-failover/disabled";
  static final String LAST = "automatic-failover/last/";

  private final ControllerConfig config;
  private final LagMonitor monitor;
  private final Reachability reachability;
  private final Workflows workflows;
  private final StateStore store;
  private final Leadership leadership;
  private final MeterRegistry meters;
  private final Map<String, AutoFailoverDecision.Outcome> outcomes = new ConcurrentHashMap<>();
  private final java.util.Set<String> gauged = ConcurrentHashMap.newKeySet();

  AutoFailovers(
      ControllerConfig config,
      LagMonitor monitor,
      Reachability reachability,
      Workflows workflows,
      StateStore store,
      Leadership leadership,
      MeterRegistry meters) {
    this.config = config;
    this.monitor = monitor;
    this.reachability = reachability;
    this.workflows = workflows;
    this.store = store;
    this.leadership = leadership;
    this.meters = meters;
  }

  /** One round: decide for every tenant; the leader starts what is due. */
  @Scheduled(
      every = "${kdr.failover.probe-interval}",
      delayed = "2s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void round() {
    if (monitor.tenants() == null) {
      return;
    }
    List<Observation> observations;
    Optional<String> disabled;
    try {
      observations = reachability.all();
      disabled = disabled().map(AutoFailovers::describe);
    } catch (StoreException e) {
      return; // nothing is decided without the vantage points' view
    }
    Instant now = Instant.now();
    Map<String, String> running = new java.util.HashMap<>();
    workflows.list().stream()
        .filter(w -> List.of("RUNNING", "ROLLING_BACK").contains(w.state().name()))
        // a verify (drill or migration) only reads: a failover stops it (Workflows.start)
        .filter(w -> w.kind().movesTenant())
        .forEach(w -> running.putIfAbsent(w.tenant(), w.id()));
    for (Tenant tenant : monitor.tenants().tenants()) {
      try {
        decide(tenant, observations, disabled, running, now);
      } catch (RuntimeException e) {
        LOG.warnf(e, "automatic failover of %s not decided", tenant.id());
      }
    }
  }

  private void decide(
      Tenant tenant,
      List<Observation> observations,
      Optional<String> disabled,
      Map<String, String> running,
      Instant now) {
    String id = tenant.id();
    Optional<FlowSpec> flow =
        monitor.tenants().flows().stream().filter(f -> f.tenants().contains(id)).findFirst();
    var entry = monitor.bootstrap().get(id);
    if (flow.isEmpty() || entry.isEmpty()) {
      return;
    }
    String cluster = entry.get().cluster();
    String home = flow.get().source();
    var policy = monitor.tenants().failover(id);
    var facts =
        new AutoFailoverDecision.Facts(
            policy,
            tenant.rpo(),
            cluster,
            monitor.tenants().cluster(cluster).region(),
            cluster.equals(home),
            observations,
            monitor.lastGood(id, home, flow.get().target()),
            // a tenant whose policy is off costs no read of the store
            policy.automatic() ? lastAutomatic(id) : Optional.empty(),
            disabled,
            Optional.ofNullable(running.get(id)));
    AutoFailoverDecision.Outcome outcome =
        AutoFailoverDecision.decide(
            facts, now, Math.max(1, config.failover().vantagePoints()), config.scan().interval());
    AutoFailoverDecision.Outcome before = outcomes.put(id, outcome);
    gauge(id);
    if (!leadership.leads()) {
      return;
    }
    if (outcome.state() == AutoFailoverDecision.State.HELD
        && (before == null || before.state() != AutoFailoverDecision.State.HELD)) {
      LOG.warnf("automatic failover of %s held back: %s", id, outcome.reason());
      workflows.note(ACTOR, "automatic failover held", id, trigger(outcome));
    }
    if (outcome.state() == AutoFailoverDecision.State.START) {
      start(id, flow.get().target(), outcome);
    }
  }

  private void start(String tenant, String target, AutoFailoverDecision.Outcome outcome) {
    WorkflowRun.View run;
    try {
      run =
          workflows.start(
              tenant,
              WorkflowKind.FAILOVER,
              Optional.of(target),
              false,
              ACTOR,
              false,
              trigger(outcome));
    } catch (WorkflowRefused e) {
      return; // another workflow holds the tenant (an operator's failover, say): it decides
    }
    LOG.warnf("automatic failover of %s started (%s): %s", tenant, run.id(), outcome.reason());
    Map<String, Object> last = new LinkedHashMap<>();
    last.put("at", Instant.now().toString());
    last.put("workflow", run.id());
    long version = store.get(LAST + tenant).map(StateStore.Doc::version).orElse(0L);
    store.put(LAST + tenant, write(last), version);
  }

  private static Map<String, Object> trigger(AutoFailoverDecision.Outcome outcome) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("automatic", true);
    t.put("reason", outcome.reason());
    t.putAll(outcome.evidence());
    return t;
  }

  private Optional<Instant> lastAutomatic(String tenant) {
    return store.get(LAST + tenant).map(d -> Instant.parse(read(d.value()).get("at").toString()));
  }

  /**
   * Who disabled automatic failover everywhere, when and why ({@code by}, {@code at}, {@code
   * reason}), if anyone.
   *
   * @throws StoreException when the store does not answer
   */
  public Optional<Map<String, Object>> disabled() {
    return store.get(DISABLED).map(d -> read(d.value()));
  }

  /**
   * Disables ({@code enabled} false) or enables again automatic failover for every tenant, on every
   * replica (one document in the shared store), and writes it to the audit log. A failover already
   * started runs on.
   *
   * @throws dev.kafkadr.controller.store.NotLeader on a replica that does not lead
   * @throws StoreException when the store does not answer
   */
  public Optional<Map<String, Object>> setEnabled(boolean enabled, String actor, String reason) {
    workflows.refuseUnlessLeading();
    Optional<StateStore.Doc> now = store.get(DISABLED);
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("by", actor);
    facts.put("at", Instant.now().toString());
    facts.put("reason", reason == null || reason.isBlank() ? "(no reason given)" : reason);
    if (enabled) {
      now.ifPresent(d -> store.delete(DISABLED, d.version()));
    } else {
      store.put(DISABLED, write(facts), now.map(StateStore.Doc::version).orElse(0L));
    }
    workflows.note(
        actor, enabled ? "automatic failover enabled" : "automatic failover disabled", null, facts);
    return enabled ? Optional.empty() : Optional.of(facts);
  }

  /** Where each tenant's automatic failover stands on this replica, by tenant id. */
  public Map<String, AutoFailoverDecision.Outcome> outcomes() {
    return Map.copyOf(outcomes);
  }

  private void gauge(String tenant) {
    if (!gauged.add(tenant)) {
      return;
    }
    Gauge.builder(
            "kdr.tenant.failover.automatic.state",
            outcomes,
            o -> o.containsKey(tenant) ? o.get(tenant).state().ordinal() : Double.NaN)
        .description(
            "Automatic failover: 0 OFF, 1 DISABLED, 2 AWAY, 3 BUSY, 4 WATCHING, 5 COUNTING, 6 HELD"
                + " (a guard rail holds it back; an operator decides), 7 START")
        .tags("tenant", tenant)
        .register(meters);
  }

  private static String describe(Map<String, Object> d) {
    return "automatic failover is disabled everywhere by "
        + d.get("by")
        + " at "
        + d.get("at")
        + ": "
        + d.get("reason");
  }

  private static String write(Map<String, Object> value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(String json) {
    try {
      return JSON.readValue(json, Map.class);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("not a JSON document: " + e.getMessage(), e);
    }
  }
}
