package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.ClusterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The steps of each kind of workflow, and a workflow rebuilt from its journal. */
final class Plans {

  private Plans() {}

  static List<Step> steps(WorkflowKind kind) {
    var to = (Function<StepContext, ClusterSpec>) StepContext::to;
    var from = (Function<StepContext, ClusterSpec>) StepContext::from;
    if (kind == WorkflowKind.DRILL_VERIFY) {
      return List.of(
          new DrillSteps.Cut(),
          new DrillSteps.AwaitCopy(),
          new DrillCompare.VerifyCompleteness(),
          new DrillOffsets(),
          new DrillAccess(),
          new DrillProbe(),
          new DrillTraffic(),
          new DrillSteps.Numbers(),
          new DrillReport(),
          new DrillReport.Verdict());
    }
    if (kind == WorkflowKind.FAILOVER) {
      return List.of(
          new Unplanned.Assess(),
          new Guards.Fence("guard-target", to, List.of(Fences.Kind.PRODUCERS), true),
          new Unplanned.FenceOld(),
          new Moves.StopForward("stop-forward-flow", List.of(".source")),
          new Unplanned.MeasureLoss(),
          new Unplanned.TranslateLastSeen(),
          new Moves.MarkSwitchPoint(),
          new Guards.Fence(
              "unfence-target", to, List.of(Fences.Kind.PRODUCERS, Fences.Kind.CONSUMERS), false),
          new Finish.SwitchTraffic(),
          new Moves.StopForward("retire-forward-flow", List.of(".checkpoint", ".heartbeat")),
          new Finish.Verify());
    }
    if (kind == WorkflowKind.MIGRATION_VERIFY) {
      return MigrationVerify.steps();
    }
    if (kind == WorkflowKind.DRILL_SWITCHOVER) {
      return DrillSwitchover.steps(planned());
    }
    return planned();
  }

  /** A planned move's steps (switchover, failback). */
  private static List<Step> planned() {
    var to = (Function<StepContext, ClusterSpec>) StepContext::to;
    var from = (Function<StepContext, ClusterSpec>) StepContext::from;
    return List.of(
        new Guards.Preflight(),
        new Guards.Fence("guard-target", to, List.of(Fences.Kind.PRODUCERS), true),
        new Guards.Fence("fence-producers", from, List.of(Fences.Kind.PRODUCERS), true),
        new EndTransactions(),
        new Moves.Drain(),
        new VerifyCopy(),
        new Moves.SettleConsumers(),
        new Guards.Fence("fence-consumers", from, List.of(Fences.Kind.CONSUMERS), true),
        new Moves.StopForward("stop-forward-flow", List.of(".source")),
        new Moves.TranslateOffsets(),
        new Moves.MarkSwitchPoint(),
        new Guards.Fence(
            "unfence-target", to, List.of(Fences.Kind.PRODUCERS, Fences.Kind.CONSUMERS), false),
        new Finish.SwitchTraffic(),
        new Moves.StartReverse(),
        new Moves.StopForward("retire-forward-flow", List.of(".checkpoint", ".heartbeat")),
        new Finish.Verify());
  }

  static List<String> names(WorkflowKind kind) {
    List<String> out = new ArrayList<>();
    out.add("created");
    steps(kind).forEach(s -> out.add(s.name()));
    return out;
  }

  /**
   * The facts of {@code run}'s {@code created} journal event, which {@link #replay} reads back:
   * tenant, kind, from, to, actor, the registry epoch it started from, rollback or hold on failure,
   * and its trigger.
   */
  static Map<String, Object> createdFacts(
      WorkflowRun run, long startEpoch, boolean hold, Map<String, Object> trigger) {
    Map<String, Object> created = new java.util.LinkedHashMap<>();
    created.put("tenant", run.tenant());
    created.put("kind", run.kind().name());
    created.put("from", run.from());
    created.put("to", run.to());
    created.put("actor", run.actor());
    created.put("startEpoch", startEpoch);
    created.put("onFailure", hold ? "hold" : "rollback");
    created.put("trigger", trigger);
    return created;
  }

  /**
   * The workflow as its journal left it; null without a {@code created} event, or for a kind this
   * controller does not know.
   */
  static WorkflowRun replay(String id, List<Journal.Event> events) {
    WorkflowRun run = null;
    for (Journal.Event e : events) {
      switch (e.type()) {
        case "created" -> {
          Map<String, Object> f = e.facts();
          if (java.util.Arrays.stream(WorkflowKind.values())
              .noneMatch(k -> k.name().equals(f.get("kind")))) {
            return null; // a kind of a newer controller's: left to it
          }
          run =
              new WorkflowRun(
                  id,
                  (String) f.get("tenant"),
                  WorkflowKind.valueOf((String) f.get("kind")),
                  (String) f.get("from"),
                  (String) f.get("to"),
                  false,
                  (String) f.get("actor"),
                  Instant.ofEpochMilli(e.at()),
                  names(WorkflowKind.valueOf((String) f.get("kind"))));
          run.done(
              "created",
              Instant.ofEpochMilli(e.at()),
              "asked by " + f.get("actor"),
              Map.of(
                  "startEpoch",
                  f.get("startEpoch"),
                  "trigger",
                  f.getOrDefault("trigger", Map.of())));
        }
        case "step-started" -> run.started(e.step(), Instant.ofEpochMilli(e.at()));
        case "step-done" -> run.done(e.step(), Instant.ofEpochMilli(e.at()), e.detail(), e.facts());
        case "step-failed" -> run.failed(e.step(), Instant.ofEpochMilli(e.at()), e.detail());
        case "rollback-started" ->
            run.failedRollingBack(e.step(), Instant.ofEpochMilli(e.at()), e.detail());
        case "step-compensated" -> run.compensated(e.step(), e.detail());
        case "finished" -> {
          run.done("created", run.createdAt(), "asked by " + run.actor(), e.facts());
          run.finished(
              WorkflowRun.State.valueOf(String.valueOf(e.facts().get("outcome"))),
              Instant.ofEpochMilli(e.at()),
              e.detail());
        }
        default -> {
          // unknown event types from a newer controller are skipped
        }
      }
    }
    return run;
  }
}
