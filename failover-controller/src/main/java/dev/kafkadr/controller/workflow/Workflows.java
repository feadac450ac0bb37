package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.ControllerConfig;
import dev.kafkadr.controller.LagMonitor;
import dev.kafkadr.controller.registry.BootstrapRegistry;
import dev.kafkadr.controller.store.Leadership;
import dev.kafkadr.controller.store.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Runs workflows: each a plan of named steps, journaled step by step on disk, one at a time per
 * tenant (a lock file created atomically in the journal directory, naming the workflow that holds
 * it). A controller killed at any point resumes every workflow whose lock it finds when it starts
 * again: steps the journal shows done are skipped, the step that was running runs again (steps look
 * before they act, so none of their effects happens twice).
 */
@ApplicationScoped
public class Workflows {

  private static final Logger LOG = Logger.getLogger(Workflows.class);

  private final LagMonitor monitor;
  private final ControllerConfig config;
  private final MeterRegistry meters;
  private final WorkflowMetrics metrics;
  private final Map<String, WorkflowRun> runs = new ConcurrentHashMap<>();
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "kdr-workflow");
            t.setDaemon(true);
            return t;
          });
  private WorkflowSettings settings;
  private EffectGuard guard;
  private AuditLog audit;
  private TenantLocks locks;

  private final StateStore store;
  private final Leadership leadership;

  Workflows(
      LagMonitor monitor,
      ControllerConfig config,
      MeterRegistry meters,
      StateStore store,
      Leadership leadership) {
    this.monitor = monitor;
    this.config = config;
    this.meters = meters;
    this.metrics = new WorkflowMetrics(meters);
    this.store = store;
    this.leadership = leadership;
  }

  void start(@Observes @Priority(3000) StartupEvent event) {
    ControllerConfig.Workflow w = config.workflow();
    settings = WorkflowSettings.of(w, store);
    guard = new EffectGuard(config.debug().holdsDir(), leadership::leads);
    audit = new AuditLog(store, JournalArchive.dir(w));
    locks = new TenantLocks(store);
    // At once on the local store; on etcd each time this replica becomes the acting one.
    leadership.onElected(() -> WorkflowResumption.resume(this));
  }

  void stop(@Observes ShutdownEvent event) {
    executor.shutdownNow();
  }

  /**
   * Starts a workflow for {@code tenant}, or with {@code dryRun} makes its plan (measured, with
   * every side effect it would have) and changes nothing.
   *
   * @param to the cluster to move to; for a switchover or failover, empty means the tenant's only
   *     other cluster; a failback always goes home
   * @param hold whether a planned workflow that fails before its switch point is left as it is,
   *     instead of rolled back
   * @throws WorkflowRefused when another workflow holds the tenant
   * @throws IllegalArgumentException for an unknown tenant or cluster
   */
  public WorkflowRun.View start(
      String tenant,
      WorkflowKind kind,
      Optional<String> to,
      boolean dryRun,
      String actor,
      boolean hold) {
    return start(tenant, kind, to, dryRun, actor, hold, Map.of());
  }

  /**
   * {@link #start} with what triggered it ({@code trigger}, journaled with the workflow; a drill's
   * report carries it): empty when asked for; a scheduled drill's schedule and occurrence. A drill
   * asked for outside its tenant's drill windows is refused.
   */
  public WorkflowRun.View start(
      String tenant,
      WorkflowKind kind,
      Optional<String> to,
      boolean dryRun,
      String actor,
      boolean hold,
      Map<String, Object> trigger) {
    Instant asked = Instant.now(); // the RTO counts any wait for a preempted workflow
    BootstrapRegistry registry = monitor.bootstrap();
    refuseUnlessLeading();
    if (kind.isDrill() && !trigger.containsKey("schedule")) {
      DrillReport.refuseOutsideWindows(monitor.tenants(), tenant, Instant.now());
    }
    // An unknown tenant (or a name that is no tenant id) is refused before its lock file is named.
    registry
        .get(tenant)
        .orElseThrow(() -> new IllegalArgumentException("no tenant \"" + tenant + "\""));
    String id =
        Instant.now().toString().replace(":", "").replace(".", "")
            + "-"
            + tenant
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    if (!dryRun) {
      Preemption.stopReadOnlyHolder(
          kind,
          tenant,
          id,
          runs,
          locks,
          () -> WorkflowTargets.checked(monitor, tenant, kind, to, registry.get(tenant).get()));
      locks.lock(tenant, id);
    }
    WorkflowRun run;
    BootstrapRegistry.Entry now;
    try {
      // Read under the lock: a workflow that just ended may have moved the tenant.
      now = registry.get(tenant).orElseThrow();
      String target = WorkflowTargets.checked(monitor, tenant, kind, to, now);
      MigrationVerify.refuseAfterFailedVerify(runs.values(), tenant, kind, target);
      run =
          new WorkflowRun(
              id, tenant, kind, now.cluster(), target, dryRun, actor, asked, Plans.names(kind));
    } catch (RuntimeException e) {
      if (!dryRun) {
        locks.unlock(tenant, id);
      }
      throw e;
    }
    if (dryRun) {
      plan(run, trigger);
      audit.record(actor, "dry-run " + verb(kind), run.view());
      return run.view();
    }
    runs.put(id, run);
    Journal journal = journal(id);
    Map<String, Object> created = Plans.createdFacts(run, now.epoch(), hold, trigger);
    journal.append(
        new Journal.Event("created", null, run.createdAt().toEpochMilli(), null, created));
    run.done(
        "created",
        run.createdAt(),
        "asked by " + actor,
        Map.of(
            "startEpoch",
            now.epoch(),
            "onFailure",
            hold ? "hold" : "rollback",
            "trigger",
            trigger));
    audit.record(actor, "start " + verb(kind), run.view());
    submitExecute(run, journal);
    return run.view();
  }

  /**
   * Refuses what only the acting replica may do (start a workflow, change a shared setting).
   *
   * @throws dev.kafkadr.controller.store.NotLeader on a replica that does not lead (etcd store),
   *     naming the leader and its URL
   */
  public void refuseUnlessLeading() {
    if (!leadership.leads()) {
      Optional<dev.kafkadr.controller.store.LeaderLease.Holder> leader;
      try {
        leader = leadership.leader();
      } catch (dev.kafkadr.controller.store.StoreException e) {
        leader = Optional.empty(); // etcd does not answer: nobody known to lead
      }
      throw new dev.kafkadr.controller.store.NotLeader(
          leadership.replicaId(),
          leader.map(h -> h.replicaId()).orElse(null),
          leader.map(h -> h.url()).orElse(null));
    }
  }

  /** A workflow by id. */
  public Optional<WorkflowRun.View> get(String id) {
    WorkflowRun run = runs.get(id);
    if (run == null && id.matches("[A-Za-z0-9._-]+")) {
      run = JournalArchive.replay(JournalArchive.dir(config.workflow()), id); // archived
    }
    return Optional.ofNullable(run).map(WorkflowRun::view);
  }

  /** Every workflow this controller knows, newest first. */
  public List<WorkflowRun.View> list() {
    List<WorkflowRun.View> out = new ArrayList<>();
    runs.values().forEach(r -> out.add(r.view()));
    out.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
    return out;
  }

  /**
   * After the tenant's last unplanned failover, with its old cluster back: the records that cluster
   * holds and the new one lacks, and with {@code republish} those records published again on the
   * new cluster (once per failover).
   *
   * @throws IllegalArgumentException when the tenant has no successful failover
   * @throws WorkflowRefused when that failover's records were already published again
   */
  public Map<String, Object> reconcile(String tenant, boolean republish, String actor)
      throws Exception {
    refuseUnlessLeading();
    WorkflowRun failover =
        runs.values().stream()
            .filter(r -> r.tenant().equals(tenant) && r.kind() == WorkflowKind.FAILOVER)
            .filter(r -> r.state() == WorkflowRun.State.SUCCEEDED)
            .max((a, b) -> a.createdAt().compareTo(b.createdAt()))
            .orElseThrow(
                () -> new IllegalArgumentException("tenant \"" + tenant + "\" has no failover"));
    if (republish) {
      Reconcile.claim(store, settings.journalDir(), failover.id(), actor);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("failover", failover.id());
    report.put("tenant", tenant);
    report.put("oldCluster", failover.from());
    report.put("newCluster", failover.to());
    try (StepContext c = context(failover)) {
      report.putAll(Reconcile.run(c, failover.facts(), republish));
    } catch (Exception e) {
      if (republish) {
        store.delete("reconciled/" + failover.id(), 1); // not published: it may be tried again
      }
      throw e;
    }
    audit.reconciled(actor, republish ? "reconcile (republish)" : "reconcile", report);
    metrics.lost(failover, ((Number) report.get("missingOnNewCluster")).doubleValue());
    return report;
  }

  /** Records a request that was refused (another workflow holds the tenant). */
  public void refused(String actor, WorkflowKind kind, String tenant, String why) {
    audit.refused(actor, verb(kind), tenant, why);
  }

  /**
   * Audits {@code action} by {@code actor} with {@code facts} (JSON-ready) when no workflow starts
   * (an automatic failover held back, disabled); {@code tenant} null for every tenant.
   */
  public void note(String actor, String action, String tenant, Map<String, Object> facts) {
    audit.noted(actor, action, tenant, facts);
  }

  /** Records a call refused before a workflow saw it; {@code details}: the client address... */
  public void refusedCall(String actor, String call, String why, Map<String, Object> details) {
    audit.refused(actor, call, null, why, details);
  }

  /** The audit log, oldest first. */
  public List<Map<String, Object>> audit() {
    return audit.read();
  }

  static String verb(WorkflowKind kind) {
    return kind.apiName();
  }

  private void plan(WorkflowRun run, Map<String, Object> trigger) {
    run.done(
        "created", run.createdAt(), "dry run asked by " + run.actor(), Map.of("trigger", trigger));
    try (StepContext c = context(run)) {
      for (Step step : Plans.steps(run.kind())) {
        try {
          run.planned(step.name(), step.plan(c));
        } catch (Exception e) {
          run.failed(step.name(), Instant.now(), message(e));
          return;
        }
      }
    }
    run.finished(WorkflowRun.State.PLANNED, Instant.now(), null);
  }

  private void execute(WorkflowRun run, Journal journal) {
    Timer.Sample total = Timer.start(meters);
    try (StepContext c = context(run)) {
      for (Step step : Plans.steps(run.kind())) {
        if (run.isDone(step.name())) {
          continue;
        }
        if (!leadership.leads()) {
          // The lease is near its end or gone: act no further; the leader resumes from here.
          throw new StateStore.StaleWrite(
              "this replica's leader lease ended before step " + step.name());
        }
        Instant started = Instant.now();
        run.started(step.name(), started);
        journal.append(
            new Journal.Event("step-started", step.name(), started.toEpochMilli(), null, null));
        Timer.Sample sample = Timer.start(meters);
        Step.Outcome outcome;
        try {
          outcome = Preemption.run(run, step, c);
        } catch (Exception e) {
          if (e instanceof StateStore.StaleWrite stale && !leadership.leads()) {
            throw stale; // not a failure of the step: this replica may act no further
          }
          String why = Preemption.why(run, message(e));
          Instant at = Instant.now();
          journal.append(
              new Journal.Event("step-failed", step.name(), at.toEpochMilli(), why, null));
          if (Rollback.applies(run)) {
            run.failedRollingBack(step.name(), at, why);
            journal.append(
                new Journal.Event("rollback-started", step.name(), at.toEpochMilli(), why, null));
            Rollback.Result undone = Rollback.run(run, journal, c);
            DrillReport.afterFailure(c, run, journal, step.name() + ": " + why + undone.summary());
            finish(
                run, journal, total, undone.state(), step.name() + ": " + why + undone.summary());
          } else {
            run.failed(step.name(), at, why);
            DrillReport.afterFailure(c, run, journal, step.name() + ": " + why);
            finish(run, journal, total, WorkflowRun.State.FAILED, step.name() + ": " + why);
          }
          return;
        }
        sample.stop(metrics.stepTimer(run.kind(), step.name()));
        Instant at = Instant.now();
        journal.append(
            new Journal.Event(
                "step-done", step.name(), at.toEpochMilli(), outcome.detail(), outcome.facts()));
        run.done(step.name(), at, outcome.detail(), outcome.facts());
        LOG.infof("%s %s: %s: %s", run.id(), run.tenant(), step.name(), outcome.detail());
      }
      finish(run, journal, total, WorkflowRun.State.SUCCEEDED, null);
    } catch (StateStore.StaleWrite e) {
      abandoned(run, e);
    } catch (RuntimeException e) {
      try {
        finish(run, journal, total, WorkflowRun.State.FAILED, message(e));
      } catch (StateStore.StaleWrite stale) {
        abandoned(run, stale);
      }
    }
  }

  /**
   * The store refused a journal write: this replica lost the leader lease (or another wrote the
   * journal). It stops here, acting no further; the leader resumes the workflow from its journal.
   */
  private void abandoned(WorkflowRun run, StateStore.StaleWrite why) {
    LOG.warnf("workflow %s of %s left to the leader: %s", run.id(), run.tenant(), why.getMessage());
  }

  /** Goes on with a rollback a crash interrupted: compensations already journaled are skipped. */
  private void resumeRollback(WorkflowRun run, Journal journal) {
    Timer.Sample total = Timer.start(meters);
    try (StepContext c = context(run)) {
      Rollback.Result undone = Rollback.run(run, journal, c);
      finish(run, journal, total, undone.state(), run.view().error() + undone.summary());
    } catch (StateStore.StaleWrite e) {
      abandoned(run, e);
    }
  }

  private void finish(
      WorkflowRun run, Journal journal, Timer.Sample total, WorkflowRun.State outcome, String why) {
    Instant at = Instant.now();
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("outcome", outcome.name());
    if (run.kind().isDrill()) {
      DrillReport.ended(run, outcome, at, facts, (name, text) -> metrics.achieved(run, name, text));
    } else if (outcome == WorkflowRun.State.SUCCEEDED && run.kind().movesTenant()) {
      facts.put("rtoMillis", Duration.between(run.createdAt(), at).toMillis());
      // Planned: measured by verify-copy after the drain. Unplanned: a lower bound measured once
      // the copy was final; kdr reconcile counts the exact loss when the old cluster is back.
      if (run.kind() == WorkflowKind.FAILOVER) {
        facts.put("recordsLostAtLeast", run.facts().getOrDefault("lossLowerBound", -1));
      } else {
        facts.put("recordsLost", run.facts().getOrDefault("recordsLost", -1));
      }
    }
    journal.append(new Journal.Event("finished", null, at.toEpochMilli(), why, facts));
    run.done("created", run.createdAt(), "asked by " + run.actor(), facts);
    run.finished(outcome, at, why);
    metrics.ended(run, total, outcome, facts);
    locks.unlock(run.tenant(), run.id());
    audit.record(run.actor(), "end " + verb(run.kind()), run.view());
  }

  private StepContext context(WorkflowRun run) {
    return new StepContext(run, monitor, settings, line -> progress(run, line), guard::before);
  }

  private static void progress(WorkflowRun run, String line) {
    run.view().steps().stream()
        .filter(s -> s.state() == WorkflowRun.StepState.RUNNING)
        .findFirst()
        .ifPresent(s -> run.progress(s.name(), line));
  }

  /** The root cause's message, for people. */
  static String message(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.ExecutionException
            || t instanceof java.util.concurrent.CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** The journal of workflow {@code id} (read by WorkflowResumption too). */
  Journal journal(String id) {
    return new Journal(store, id);
  }

  StateStore store() {
    return store;
  }

  TenantLocks locks() {
    return locks;
  }

  Map<String, WorkflowRun> runs() {
    return runs;
  }

  /** Runs {@code run} from its first step not done, on a workflow thread. */
  void submitExecute(WorkflowRun run, Journal journal) {
    run.executing(true);
    executor.submit(
        () -> {
          try {
            execute(run, journal);
          } finally {
            run.executing(false);
          }
        });
  }

  /** Goes on with {@code run}'s interrupted rollback, on a workflow thread. */
  void submitRollback(WorkflowRun run, Journal journal) {
    run.executing(true);
    executor.submit(
        () -> {
          try {
            resumeRollback(run, journal);
          } finally {
            run.executing(false);
          }
        });
  }

  /** Known workflows, for tests and the status page: how many are running. */
  public long running() {
    return runs.values().stream().filter(r -> r.state() == WorkflowRun.State.RUNNING).count();
  }
}
