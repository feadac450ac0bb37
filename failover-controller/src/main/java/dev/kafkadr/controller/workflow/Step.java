package dev.kafkadr.controller.workflow;

import java.util.Map;

/**
 * One named step of a workflow. A step must be safe to run again after a crash in its middle: it
 * looks at the world before it changes it (an ACL already there, a connector already stopped, a
 * registry already switched) so that no side effect happens twice.
 */
public interface Step {

  /**
   * What the step did.
   *
   * @param detail one line for the operator
   * @param facts what later steps and the audit log need, journaled with the step
   */
  record Outcome(String detail, Map<String, Object> facts) {
    /** An outcome without facts. */
    public static Outcome of(String detail) {
      return new Outcome(detail, Map.of());
    }
  }

  /** The step's name in plans, journals and the API. */
  String name();

  /** What it would do, read from the world as it is, for a dry run; changes nothing. */
  String plan(StepContext context) throws Exception;

  /** Does it. */
  Outcome run(StepContext context) throws Exception;

  /**
   * Undoes what {@link #run} did, for a planned workflow rolled back before its switch point, and
   * says what it undid; empty for a step with nothing to undo (reads, waits, checks). Like {@link
   * #run}, safe to run again after a crash in its middle.
   */
  default java.util.Optional<String> compensate(StepContext context) throws Exception {
    return java.util.Optional.empty();
  }

  /**
   * Whether a preemption (a failover of the tenant stopping a workflow that only reads) may
   * interrupt this step while it runs; false (the default) for a step that writes anything, which
   * is stopped at its end instead, so that nothing it writes is left half done.
   */
  default boolean interruptible() {
    return false;
  }
}
