package dev.kafkadr.controller.workflow;

import java.time.Duration;
import java.util.Map;

/**
 * A failover does not wait for a workflow that only reads: a verify drill or a migration's verify
 * holding the tenant's lock when a failover of the tenant is asked for (by an operator or by
 * automatic failover) is stopped, failing with the failover's id as its reason, and the failover
 * takes the lock. A step that reads ({@link Step#interruptible()}) is interrupted; one that writes
 * (a drill's probe, its report) ends first. Without this a verify, which may wait up to the
 * tenant's RPO for the copy and then read every record, would hold back a failover in a region's
 * loss, and automatic failover would give up on the tenant silently. Workflows that move the tenant
 * are never preempted.
 */
final class Preemption {

  /** How long the failover waits for the preempted workflow to end and release the lock. */
  static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private Preemption() {}

  /**
   * Before a workflow of {@code kind} takes its tenant's lock: when it is a failover, {@code
   * validate} passes (so that a failover refused for bad input stops nothing) and the lock is held
   * by a read-only workflow running in this process, stops that workflow and waits up to {@link
   * #STOP_WAIT} for it to release the lock. Anything else is left to the lock, which refuses (as it
   * does when the stopped workflow has not let go in time).
   *
   * @param id the id of the failover about to start
   * @param validate checks the failover's target, throwing what the API reports
   */
  static void stopReadOnlyHolder(
      WorkflowKind kind,
      String tenant,
      String id,
      Map<String, WorkflowRun> runs,
      TenantLocks locks,
      Runnable validate) {
    if (kind != WorkflowKind.FAILOVER) {
      return;
    }
    String holder = locks.holder(tenant).orElse(null);
    WorkflowRun run = holder == null ? null : runs.get(holder);
    if (run == null || run.kind().movesTenant() || run.state() != WorkflowRun.State.RUNNING) {
      return;
    }
    validate.run();
    run.preempt("preempted by failover " + id + " of the tenant");
    long until = System.nanoTime() + STOP_WAIT.toNanos();
    // The run ends, then releases the lock: wait for the lock itself.
    while (locks.holder(tenant).filter(holder::equals).isPresent() && System.nanoTime() < until) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Runs {@code step} of {@code run} on the calling workflow thread, unless the workflow was
   * preempted: then the step fails with the reason, without running. A preemption interrupts the
   * step only when it is {@link Step#interruptible()}; any other ends first.
   *
   * @throws WorkflowException when the workflow was preempted
   * @throws Exception what the step throws
   */
  static Step.Outcome run(WorkflowRun run, Step step, StepContext c) throws Exception {
    if (!run.enterStep(step.interruptible())) {
      throw new WorkflowException(run.preemptedBy());
    }
    try {
      return step.run(c);
    } finally {
      run.leaveStep();
    }
  }

  /**
   * Why a step of {@code run} failed: with the preemption first when the workflow was preempted
   * (the step's own error is then most likely the interruption's), else {@code error}.
   */
  static String why(WorkflowRun run, String error) {
    String preempted = run.preemptedBy();
    return preempted == null ? error : preempted + " (the step stopped with: " + error + ")";
  }
}
