package dev.kafkadr.controller.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Rolls back a planned workflow (switchover, failback, switchover drill) that failed before its
 * switch point: the compensation each step names runs for every step done, newest first (fences
 * lifted, the forward flow resumed), so that a failure never leaves the tenant fenced. Past the
 * switch point (clients were handed the new cluster) nothing is rolled back; an unplanned failover
 * never is; and an operator may ask to hold instead ({@code onFailure: hold}). Each compensation is
 * journaled, so a controller restarted in the middle goes on where it stopped.
 */
final class Rollback {

  /** The step that hands clients the new cluster: the switch point. */
  static final String SWITCH = "switch-traffic";

  private Rollback() {}

  /**
   * What a rollback did.
   *
   * @param state ROLLED_BACK, or FAILED when a compensation failed
   * @param summary what was undone, and what could not be
   */
  record Result(WorkflowRun.State state, String summary) {}

  /** Whether a failure of {@code run} now is rolled back. */
  static boolean applies(WorkflowRun run) {
    return run.kind() != WorkflowKind.FAILOVER
        && run.kind().movesTenant()
        // a switchover drill that stopped before its switchover began has nothing to undo
        && (run.kind() != WorkflowKind.DRILL_SWITCHOVER || run.isDone("preflight"))
        && !run.isDone(SWITCH)
        && !"hold".equals(run.facts().get("onFailure"));
  }

  /** Undoes every done step of {@code run}, newest first. */
  static Result run(WorkflowRun run, Journal journal, StepContext c) {
    List<Step> steps = new ArrayList<>(Plans.steps(run.kind()));
    Collections.reverse(steps);
    List<String> undone = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (Step step : steps) {
      if (!run.isDone(step.name())) {
        continue;
      }
      try {
        Optional<String> line = step.compensate(c);
        if (line.isPresent()) {
          journal.append(
              new Journal.Event(
                  "step-compensated", step.name(), Instant.now().toEpochMilli(), line.get(), null));
          run.compensated(step.name(), line.get());
          undone.add(line.get());
        }
      } catch (Exception e) {
        String why = Workflows.message(e);
        journal.append(
            new Journal.Event(
                "compensation-failed", step.name(), Instant.now().toEpochMilli(), why, null));
        failed.add(step.name() + ": " + why);
      }
    }
    if (!failed.isEmpty()) {
      return new Result(
          WorkflowRun.State.FAILED,
          "; rollback incomplete, undo by hand (runbooks/switchover.md): "
              + failed
              + "; undone: "
              + undone);
    }
    return new Result(
        WorkflowRun.State.ROLLED_BACK,
        "; rolled back, the tenant stays on " + run.from() + ": " + String.join("; ", undone));
  }
}
