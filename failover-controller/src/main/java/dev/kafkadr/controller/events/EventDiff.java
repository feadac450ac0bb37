package dev.kafkadr.controller.events;

import dev.kafkadr.controller.lag.FlowHealth;
import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.Gap;
import dev.kafkadr.controller.workflow.WorkflowRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The events between two observations of the same thing: a flow in two consecutive scans, or a
 * workflow at two moments. Pure: no clock but the observations' own times, so each rule is unit
 * tested. Events carry no cursor yet ({@link TenantEvents} numbers them).
 */
final class EventDiff {

  private EventDiff() {}

  /** What changed on a flow between scans: RPO status, new gaps, connectors and tasks. */
  static List<TenantEvent> flow(FlowLag was, FlowLag now) {
    List<TenantEvent> out = new ArrayList<>();
    String flow = now.source() + "->" + now.target();
    Instant at = now.measuredAt() == null ? now.scannedAt() : now.measuredAt();
    if (was.status() != now.status()) {
      out.add(
          event(
              at,
              now.tenant(),
              "rpo-status",
              flow,
              null,
              String.format(
                  Locale.ROOT,
                  "RPO status %s -> %s: %s of data at risk against an RPO of %s%s%s",
                  was.status(),
                  now.status(),
                  now.lagSeconds() < 0
                      ? "unknown"
                      : String.format(Locale.ROOT, "%.1f s", now.lagSeconds()),
                  seconds(now.rpo()),
                  now.gaps().isEmpty()
                      ? ""
                      : "; "
                          + now.gaps().stream().mapToLong(Gap::records).sum()
                          + " offsets lost to gaps",
                  now.problem() == null ? "" : " (" + now.problem() + ")")));
    }
    Set<String> known = new HashSet<>();
    was.gaps().forEach(g -> known.add(gapKey(g)));
    for (Gap g : now.gaps()) {
      if (known.add(gapKey(g))) {
        out.add(
            event(
                g.detectedAt() == null ? at : g.detectedAt(),
                now.tenant(),
                "gap",
                flow,
                null,
                String.format(
                    Locale.ROOT,
                    "%s-%d [%d, %d): %d offsets lost to the copy before they were copied%s",
                    g.topic(),
                    g.partition(),
                    g.fromOffset(),
                    g.toOffset(),
                    g.records(),
                    g.confirmed() ? "" : " (at most: not yet confirmed)")));
      }
    }
    String before = replication(was.health());
    String after = replication(now.health());
    if (!Objects.equals(before, after)) {
      out.add(
          event(
              at,
              now.tenant(),
              "replication",
              flow,
              null,
              "replication " + before + " -> " + after + failures(now.health())));
    }
    return out;
  }

  /** A gap as far as its team needs telling again: its range and whether it is confirmed. */
  private static String gapKey(Gap g) {
    return g.topic()
        + "|"
        + g.partition()
        + "|"
        + g.fromOffset()
        + "|"
        + g.toOffset()
        + "|"
        + g.confirmed();
  }

  private static String replication(FlowHealth health) {
    return health == null ? "UNKNOWN" : health.replication();
  }

  /** Each connector not running: its state, its tasks' states, its trace's first line. */
  private static String failures(FlowHealth health) {
    if (health == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (FlowHealth.ConnectorState c : health.connectors()) {
      boolean running =
          "RUNNING".equals(c.state()) && c.tasks().stream().allMatch("RUNNING"::equals);
      if (running) {
        continue;
      }
      out.append("; ").append(c.name()).append(' ').append(c.state());
      if (!c.tasks().isEmpty()) {
        out.append(", tasks ").append(c.tasks());
      }
      if (c.trace() != null) {
        out.append(": ").append(c.trace().lines().findFirst().orElse(""));
      }
    }
    if (health.problem() != null) {
      out.append("; ").append(health.problem());
    }
    return out.toString();
  }

  /**
   * What changed in a workflow: its start (when {@code was} is null), each step that started or
   * ended, and its end; a drill's end is a {@code drill} event.
   */
  static List<TenantEvent> workflow(WorkflowRun.View was, WorkflowRun.View now) {
    List<TenantEvent> out = new ArrayList<>();
    String name = now.kind().apiName() + (now.dryRun() ? " (dry run)" : "");
    if (was == null) {
      out.add(
          event(
              now.createdAt(),
              now.tenant(),
              "workflow",
              null,
              now.id(),
              name + " started by " + now.actor() + target(now)));
    }
    for (WorkflowRun.StepView step : now.steps()) {
      WorkflowRun.StepView before = was == null ? null : step(was, step.name());
      if (before != null && before.state() == step.state()) {
        continue;
      }
      switch (step.state()) {
        case RUNNING ->
            out.add(
                event(
                    step.startedAt(),
                    now.tenant(),
                    "workflow-step",
                    null,
                    now.id(),
                    name + ": step " + step.name() + " started"));
        case DONE, FAILED, COMPENSATED ->
            out.add(
                event(
                    step.startedAt() == null
                        ? (now.finishedAt() == null ? now.createdAt() : now.finishedAt())
                        : step.startedAt().plusMillis(Math.max(0, step.millis())),
                    now.tenant(),
                    "workflow-step",
                    null,
                    now.id(),
                    name
                        + ": step "
                        + step.name()
                        + " "
                        + step.state()
                        + (step.millis() < 0 ? "" : " in " + step.millis() + " ms")
                        + (step.detail() == null ? "" : ": " + firstLine(step.detail()))));
        default -> {}
      }
    }
    boolean ended = now.finishedAt() != null;
    boolean endedBefore = was != null && was.finishedAt() != null;
    if (ended && !endedBefore) {
      out.add(
          event(
              now.finishedAt(),
              now.tenant(),
              now.kind().isDrill() ? "drill" : "workflow",
              null,
              now.id(),
              name
                  + " "
                  + now.state()
                  + " after "
                  + seconds(Duration.between(now.createdAt(), now.finishedAt()))
                  + (now.error() == null ? "" : ": " + firstLine(now.error()))));
    }
    return out;
  }

  private static String target(WorkflowRun.View v) {
    return v.from() == null || v.to() == null ? "" : " (" + v.from() + " -> " + v.to() + ")";
  }

  private static WorkflowRun.StepView step(WorkflowRun.View view, String name) {
    return view.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("");
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static TenantEvent event(
      Instant at, String tenant, String kind, String flow, String workflow, String text) {
    return new TenantEvent(null, at, tenant, kind, flow, workflow, text);
  }
}
