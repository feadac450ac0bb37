package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.DrillSchedule;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.controller.LagMonitor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Runs the tenants file's scheduled drills ({@code drills:} per tenant) through Quarkus's
 * scheduler, one job per schedule, each occurrence at most once: it is claimed in {@code
 * <journal-dir>/drill-occurrences.jsonl} (the log {@code drill-occurrences} of the state store),
 * and a claimed occurrence is never run again (a restarted controller reads the claims). Only the
 * acting replica ({@link dev.kafkadr.controller.store.Leadership}) claims and runs occurrences; it
 * reads the claims again each time it becomes the acting one. An occurrence outside the schedule's
 * window, or refused because another workflow holds the tenant, is skipped: audited and counted in
 * {@code kdr_drill_skipped_total{tenant,reason}} (an alert rule fires on it). At start, the newest
 * occurrence a schedule missed while no controller ran (one already claimed before it) runs late
 * once, saying so in its report, when now is within the window; otherwise it is skipped.
 */
@ApplicationScoped
public class DrillScheduler {

  private static final Logger LOG = Logger.getLogger(DrillScheduler.class);

  private final Workflows workflows;
  private final LagMonitor monitor;
  private final Scheduler scheduler;
  private final MeterRegistry meters;
  private final dev.kafkadr.controller.store.StateStore store;
  private final dev.kafkadr.controller.store.Leadership leadership;
  private Journal claims;
  private final Set<String> claimed = new HashSet<>();
  private final Map<String, Instant> newestClaim = new LinkedHashMap<>();

  DrillScheduler(
      Workflows workflows,
      LagMonitor monitor,
      Scheduler scheduler,
      MeterRegistry meters,
      dev.kafkadr.controller.store.StateStore store,
      dev.kafkadr.controller.store.Leadership leadership) {
    this.store = store;
    this.leadership = leadership;
    this.workflows = workflows;
    this.monitor = monitor;
    this.scheduler = scheduler;
    this.meters = meters;
  }

  void start(@Observes @Priority(4000) StartupEvent event) {
    TenantsFile file = monitor.tenants();
    for (List<DrillSchedule> list : file.drills().values()) {
      for (DrillSchedule d : list) {
        scheduler
            .newJob("drill-" + d.id())
            .setCron(d.cron())
            .setTimeZone(d.zone().getId())
            .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
            .setTask(execution -> fire(d, execution.getScheduledFireTime(), false))
            .schedule();
        LOG.infof(
            "drill %s scheduled: %s (%s), window %s, next %s",
            d.id(),
            d.cron(),
            d.zone(),
            d.window(),
            d.next(Instant.now()).map(Instant::toString).orElse("never"));
      }
    }
    leadership.onElected(this::elected);
  }

  /**
   * On becoming the acting replica: the claims as the store holds them (another replica may have
   * led meanwhile), then the occurrences missed while none led.
   */
  private synchronized void elected() {
    claims = new Journal(store, "drill-occurrences");
    claimed.clear();
    newestClaim.clear();
    for (Journal.Event e : claims.read()) {
      claimed.add(e.step() + "@" + e.detail());
      newestClaim.merge(e.step(), Instant.parse(e.detail()), (a, b) -> a.isAfter(b) ? a : b);
    }
    monitor.tenants().drills().values().forEach(l -> l.forEach(d -> catchUp(d, Instant.now())));
  }

  /** The occurrence missed while no controller ran, run late once or skipped. */
  private void catchUp(DrillSchedule d, Instant now) {
    Instant newest = newestClaim.get(d.id());
    Optional<Instant> missed = d.last(now);
    if (newest != null && missed.isPresent() && missed.get().isAfter(newest)) {
      fire(d, missed.get(), true);
    }
  }

  /**
   * One occurrence: claimed, then run (or skipped, with the reason). Late: missed while no
   * controller ran, so judged against the window now.
   */
  synchronized void fire(DrillSchedule d, Instant occurrence, boolean late) {
    if (claims == null || !leadership.leads()) {
      return; // a replica standing by: the leader claims and runs each occurrence
    }
    String key = d.id() + "@" + occurrence;
    if (!claimed.add(key)) {
      return; // already run (or skipped): once per occurrence
    }
    Instant now = Instant.now();
    String outcome;
    if (!d.inWindow(late ? now : occurrence)) {
      outcome = skip(d, occurrence, "outside-window", "outside its window " + d.window());
    } else {
      Map<String, Object> trigger = new LinkedHashMap<>();
      trigger.put("schedule", d.id());
      trigger.put("cron", d.cron());
      trigger.put("timeZone", d.zone().getId());
      trigger.put("occurrence", occurrence.toString());
      trigger.put("late", late);
      try {
        WorkflowRun.View run =
            workflows.start(
                d.tenant(),
                "switchover".equals(d.kind())
                    ? WorkflowKind.DRILL_SWITCHOVER
                    : WorkflowKind.DRILL_VERIFY,
                Optional.empty(),
                false,
                "scheduler",
                false,
                trigger);
        outcome = "started " + run.id() + (late ? " (late: missed while no controller ran)" : "");
      } catch (WorkflowRefused e) {
        outcome = skip(d, occurrence, "refused", e.getMessage());
      } catch (RuntimeException e) {
        outcome = skip(d, occurrence, "error", String.valueOf(e.getMessage()));
      }
    }
    claims.append(
        new Journal.Event(
            "claimed",
            d.id(),
            now.toEpochMilli(),
            occurrence.toString(),
            Map.of("outcome", outcome)));
    newestClaim.merge(d.id(), occurrence, (a, b) -> a.isAfter(b) ? a : b);
    LOG.infof("drill %s occurrence %s: %s", d.id(), occurrence, outcome);
  }

  private String skip(DrillSchedule d, Instant occurrence, String reason, String why) {
    Counter.builder("kdr.drill.skipped")
        .description("Scheduled drill occurrences not run, by reason")
        .tag("tenant", d.tenant())
        .tag("reason", reason)
        .register(meters)
        .increment();
    workflows.refused(
        "scheduler",
        WorkflowKind.DRILL_VERIFY,
        d.tenant(),
        "scheduled drill " + d.id() + " at " + occurrence + " skipped: " + why);
    return "skipped: " + why;
  }
}
