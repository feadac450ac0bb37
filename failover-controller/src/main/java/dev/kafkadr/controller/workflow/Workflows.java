package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.ControllerConfig;
import dev.kafkadr.controller.LagMonitor;
import dev.kafkadr.controller.registry.BootstrapRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.stream.Stream;
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

  private static final String LOST_DESCRIPTION =
      "Records lost by the tenant's last workflow: measured after the drain for a switchover or"
          + " failback; for a failover a lower bound, replaced by the exact count of kdr reconcile";

  private final LagMonitor monitor;
  private final ControllerConfig config;
  private final MeterRegistry meters;
  private final Map<String, WorkflowRun> runs = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicReference<Double>> achieved =
      new ConcurrentHashMap<>();
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "kdr-workflow");
            t.setDaemon(true);
            return t;
          });
  private WorkflowSettings settings;
  private AuditLog audit;
  private TenantLocks locks;

  Workflows(LagMonitor monitor, ControllerConfig config, MeterRegistry meters) {
    this.monitor = monitor;
    this.config = config;
    this.meters = meters;
  }

  void start(@Observes @Priority(3000) StartupEvent event) {
    ControllerConfig.Workflow w = config.workflow();
    settings = new WorkflowSettings(w.journalDir(), w.drainTimeout(), w.settleTimeout());
    audit = new AuditLog(settings.journalDir().resolve("audit.jsonl"));
    locks = new TenantLocks(settings.journalDir().resolve("locks"));
    resumeUnfinished();
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
    BootstrapRegistry registry = monitor.bootstrap();
    if (kind.isDrill() && trigger.isEmpty()) {
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
      locks.lock(tenant, id);
    }
    WorkflowRun run;
    BootstrapRegistry.Entry now;
    try {
      // Read under the lock: a workflow that just ended may have moved the tenant.
      now = registry.get(tenant).orElseThrow();
      String target = WorkflowTargets.target(monitor, tenant, kind, to, now);
      registry.check(tenant, target);
      if (target.equals(now.cluster())) {
        throw new IllegalArgumentException(
            "tenant \"" + tenant + "\" is already on " + target + ": nothing to " + verb(kind));
      }
      run =
          new WorkflowRun(
              id,
              tenant,
              kind,
              now.cluster(),
              target,
              dryRun,
              actor,
              Instant.now(),
              Plans.names(kind));
    } catch (RuntimeException e) {
      if (!dryRun) {
        locks.unlock(tenant, id);
      }
      throw e;
    }
    if (dryRun) {
      plan(run);
      audit.record(actor, "dry-run " + verb(kind), run.view());
      return run.view();
    }
    runs.put(id, run);
    Journal journal = journal(id);
    Map<String, Object> created = new LinkedHashMap<>();
    created.put("tenant", tenant);
    created.put("kind", kind.name());
    created.put("from", now.cluster());
    created.put("to", run.to());
    created.put("actor", actor);
    created.put("startEpoch", now.epoch());
    created.put("onFailure", hold ? "hold" : "rollback");
    created.put("trigger", trigger);
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
    executor.submit(() -> execute(run, journal));
    return run.view();
  }

  /** A workflow by id. */
  public Optional<WorkflowRun.View> get(String id) {
    return Optional.ofNullable(runs.get(id)).map(WorkflowRun::view);
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
    WorkflowRun failover =
        runs.values().stream()
            .filter(r -> r.tenant().equals(tenant) && r.kind() == WorkflowKind.FAILOVER)
            .filter(r -> r.state() == WorkflowRun.State.SUCCEEDED)
            .max((a, b) -> a.createdAt().compareTo(b.createdAt()))
            .orElseThrow(
                () -> new IllegalArgumentException("tenant \"" + tenant + "\" has no failover"));
    Path marker = settings.journalDir().resolve(failover.id() + ".reconciled");
    if (republish) {
      try {
        Files.writeString(
            marker, actor, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
      } catch (FileAlreadyExistsException e) {
        throw new WorkflowRefused(
            "the records of failover " + failover.id() + " were already published again");
      }
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
        Files.deleteIfExists(marker);
      }
      throw e;
    }
    audit.reconciled(actor, republish ? "reconcile (republish)" : "reconcile", report);
    achieved(failover, "kdr.workflow.records.lost", LOST_DESCRIPTION)
        .set(((Number) report.get("missingOnNewCluster")).doubleValue());
    return report;
  }

  /** Records a request that was refused (another workflow holds the tenant). */
  public void refused(String actor, WorkflowKind kind, String tenant, String why) {
    audit.refused(actor, verb(kind), tenant, why);
  }

  /** Records a call the API rejected for want of authentication or a role. */
  public void rejected(String actor, String call, int status) {
    audit.refused(actor, call, null, status == 401 ? "not authenticated" : "role missing");
  }

  /** The audit log, oldest first. */
  public List<Map<String, Object>> audit() {
    return audit.read();
  }

  private static String verb(WorkflowKind kind) {
    return kind.apiName();
  }

  private void plan(WorkflowRun run) {
    run.done("created", run.createdAt(), "dry run asked by " + run.actor(), Map.of());
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
        Instant started = Instant.now();
        run.started(step.name(), started);
        journal.append(
            new Journal.Event("step-started", step.name(), started.toEpochMilli(), null, null));
        Timer.Sample sample = Timer.start(meters);
        Step.Outcome outcome;
        try {
          outcome = step.run(c);
        } catch (Exception e) {
          String why = message(e);
          Instant at = Instant.now();
          journal.append(
              new Journal.Event("step-failed", step.name(), at.toEpochMilli(), why, null));
          if (Rollback.applies(run)) {
            run.failedRollingBack(step.name(), at, why);
            journal.append(
                new Journal.Event("rollback-started", step.name(), at.toEpochMilli(), why, null));
            Rollback.Result undone = Rollback.run(run, journal, c);
            finish(
                run, journal, total, undone.state(), step.name() + ": " + why + undone.summary());
          } else {
            run.failed(step.name(), at, why);
            finish(run, journal, total, WorkflowRun.State.FAILED, step.name() + ": " + why);
          }
          return;
        }
        sample.stop(stepTimer(run.kind(), step.name()));
        Instant at = Instant.now();
        journal.append(
            new Journal.Event(
                "step-done", step.name(), at.toEpochMilli(), outcome.detail(), outcome.facts()));
        run.done(step.name(), at, outcome.detail(), outcome.facts());
        LOG.infof("%s %s: %s: %s", run.id(), run.tenant(), step.name(), outcome.detail());
      }
      finish(run, journal, total, WorkflowRun.State.SUCCEEDED, null);
    } catch (RuntimeException e) {
      finish(run, journal, total, WorkflowRun.State.FAILED, message(e));
    }
  }

  /** Goes on with a rollback a crash interrupted: compensations already journaled are skipped. */
  private void resumeRollback(WorkflowRun run, Journal journal) {
    Timer.Sample total = Timer.start(meters);
    try (StepContext c = context(run)) {
      Rollback.Result undone = Rollback.run(run, journal, c);
      finish(run, journal, total, undone.state(), run.view().error() + undone.summary());
    }
  }

  private void finish(
      WorkflowRun run, Journal journal, Timer.Sample total, WorkflowRun.State outcome, String why) {
    Instant at = Instant.now();
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("outcome", outcome.name());
    if (run.kind().isDrill()) {
      DrillReport.ended(run, outcome, at, facts, (name, text) -> achieved(run, name, text));
    } else if (outcome == WorkflowRun.State.SUCCEEDED) {
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
    total.stop(
        Timer.builder("kdr.workflow.duration")
            .description("Time a workflow took, trigger to its last step")
            .tag("kind", verb(run.kind()))
            .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
            .register(meters));
    if (outcome == WorkflowRun.State.SUCCEEDED && !run.kind().isDrill()) {
      Object switched = run.facts().getOrDefault("trafficSwitchedMillis", facts.get("rtoMillis"));
      achieved(
              run,
              "kdr.workflow.rto.seconds",
              "RTO achieved by the tenant's last workflow: trigger to clients handed the new cluster")
          .set(((Number) switched).doubleValue() / 1000.0);
      Object lost = facts.getOrDefault("recordsLost", facts.get("recordsLostAtLeast"));
      achieved(run, "kdr.workflow.records.lost", LOST_DESCRIPTION)
          .set(((Number) lost).doubleValue());
    }
    locks.unlock(run.tenant(), run.id());
    audit.record(run.actor(), "end " + verb(run.kind()), run.view());
  }

  /** The gauge {@code name} of the run's tenant and kind, registered on first use. */
  private java.util.concurrent.atomic.AtomicReference<Double> achieved(
      WorkflowRun run, String name, String description) {
    return achieved.computeIfAbsent(
        name + "|" + run.tenant() + "|" + run.kind(),
        k -> {
          var value = new java.util.concurrent.atomic.AtomicReference<>(Double.NaN);
          io.micrometer.core.instrument.Gauge.builder(name, value, v -> v.get())
              .description(description)
              .tag("tenant", run.tenant())
              .tag("kind", verb(run.kind()))
              .register(meters);
          return value;
        });
  }

  private Timer stepTimer(WorkflowKind kind, String step) {
    return Timer.builder("kdr.workflow.step.duration")
        .description("Time one workflow step took")
        .tag("kind", verb(kind))
        .tag("step", step)
        .register(meters);
  }

  private StepContext context(WorkflowRun run) {
    return new StepContext(run, monitor, config.connect(), settings, line -> progress(run, line));
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

  // --- locks, journals, resumption -----------------------------------------------------------

  private Journal journal(String id) {
    return new Journal(settings.journalDir().resolve(id + ".jsonl"));
  }

  private void resumeUnfinished() {
    try (Stream<Path> journals = Files.list(settings.journalDir())) {
      for (Path p : journals.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        String name = p.getFileName().toString();
        String id = name.substring(0, name.length() - ".jsonl".length());
        if (!"audit.jsonl".equals(name)) {
          Optional.ofNullable(Plans.replay(id, journal(id).read())).ifPresent(r -> runs.put(id, r));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("workflow journals in " + settings.journalDir(), e);
    }
    try (Stream<Path> files = Files.list(locks.dir())) {
      for (Path lock : files.filter(p -> p.toString().endsWith(".lock")).toList()) {
        String id = Files.readString(lock).trim();
        Journal journal = journal(id);
        WorkflowRun run = runs.get(id);
        if (run != null && run.state() == WorkflowRun.State.ROLLING_BACK) {
          LOG.infof(
              "resuming the rollback of workflow %s for %s after a restart", id, run.tenant());
          executor.submit(() -> resumeRollback(run, journal));
          continue;
        }
        if (run == null || run.state() != WorkflowRun.State.RUNNING) {
          LOG.warnf("workflow lock %s names %s, which is not running: released", lock, id);
          Files.delete(lock);
          continue;
        }
        LOG.infof("resuming workflow %s for %s after a restart", id, run.tenant());
        executor.submit(() -> execute(run, journal));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("workflow locks in " + locks.dir(), e);
    }
  }

  /** Known workflows, for tests and the status page: how many are running. */
  public long running() {
    return runs.values().stream().filter(r -> r.state() == WorkflowRun.State.RUNNING).count();
  }
}
