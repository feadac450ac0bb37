package dev.kafkadr.controller.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One workflow as it runs: its steps with their states and timings, its progress and outcome.
 * Rebuilt from the journal after a restart; read by the REST API while it runs.
 */
public final class WorkflowRun {

  /** A workflow's outcome so far. */
  public enum State {
    /** Steps are running (or will resume after a restart). */
    RUNNING,
    /** Every step done. */
    SUCCEEDED,
    /** A step failed; the steps before it stay done, nothing after it ran. */
    FAILED,
    /** A step failed before the switch point; what the steps before it did is being undone. */
    ROLLING_BACK,
    /** A step failed before the switch point and what the steps before it did was undone. */
    ROLLED_BACK,
    /** A dry run: the plan, nothing changed. */
    PLANNED
  }

  /** A step's state. */
  public enum StepState {
    PENDING,
    RUNNING,
    DONE,
    FAILED,
    PLANNED,
    /** Done, then undone by a rollback. */
    COMPENSATED
  }

  /**
   * A step as the API shows it.
   *
   * @param name the step
   * @param state where it is
   * @param startedAt when it started, or null
   * @param millis how long it took (so far), or -1
   * @param detail what it did, or in a dry run would do
   * @param progress live progress of a long step (drain), or null
   */
  public record StepView(
      String name,
      StepState state,
      Instant startedAt,
      long millis,
      String detail,
      String progress) {}

  /**
   * A workflow as the API shows it.
   *
   * @param id workflow id
   * @param tenant the tenant
   * @param kind switchover, failover or failback
   * @param from the cluster the tenant leaves
   * @param to the cluster it moves to
   * @param dryRun whether only the plan was made
   * @param actor who started it
   * @param state its outcome so far
   * @param createdAt when it was asked for
   * @param finishedAt when it ended, or null
   * @param steps every step
   * @param facts what the steps established: data at risk, translated offsets, DNS change, RPO, RTO
   * @param error why it failed, or null
   */
  public record View(
      String id,
      String tenant,
      WorkflowKind kind,
      String from,
      String to,
      boolean dryRun,
      String actor,
      State state,
      Instant createdAt,
      Instant finishedAt,
      List<StepView> steps,
      Map<String, Object> facts,
      String error) {}

  private final String id;
  private final String tenant;
  private final WorkflowKind kind;
  private final String from;
  private final String to;
  private final boolean dryRun;
  private final String actor;
  private final Instant createdAt;
  private final Map<String, StepView> steps = new LinkedHashMap<>();
  private final Map<String, Object> facts = new LinkedHashMap<>();
  private State state;
  private volatile boolean executing;
  private final Object preemption = new Object();
  private Thread runner;
  private String preemptedBy;
  private Instant finishedAt;
  private String error;

  WorkflowRun(
      String id,
      String tenant,
      WorkflowKind kind,
      String from,
      String to,
      boolean dryRun,
      String actor,
      Instant createdAt,
      List<String> stepNames) {
    this.id = id;
    this.tenant = tenant;
    this.kind = kind;
    this.from = from;
    this.to = to;
    this.dryRun = dryRun;
    this.actor = actor;
    this.createdAt = createdAt;
    this.state = dryRun ? State.PLANNED : State.RUNNING;
    for (String n : stepNames) {
      steps.put(n, new StepView(n, StepState.PENDING, null, -1, null, null));
    }
  }

  String id() {
    return id;
  }

  String tenant() {
    return tenant;
  }

  WorkflowKind kind() {
    return kind;
  }

  String from() {
    return from;
  }

  String to() {
    return to;
  }

  String actor() {
    return actor;
  }

  Instant createdAt() {
    return createdAt;
  }

  synchronized boolean isDone(String step) {
    return steps.get(step).state() == StepState.DONE;
  }

  synchronized State state() {
    return state;
  }

  synchronized Map<String, Object> facts() {
    return new LinkedHashMap<>(facts);
  }

  synchronized void started(String step, Instant at) {
    steps.put(step, new StepView(step, StepState.RUNNING, at, -1, null, null));
  }

  synchronized void progress(String step, String line) {
    StepView s = steps.get(step);
    long millis =
        s.startedAt() == null ? -1 : Duration.between(s.startedAt(), Instant.now()).toMillis();
    steps.put(step, new StepView(step, s.state(), s.startedAt(), millis, s.detail(), line));
  }

  synchronized void done(String step, Instant at, String detail, Map<String, Object> stepFacts) {
    ended(step, StepState.DONE, at, detail);
    if (stepFacts != null) {
      facts.putAll(stepFacts);
    }
  }

  /** The step ended at {@code at} in {@code state}, timed from its start (or from then). */
  private void ended(String step, StepState state, Instant at, String detail) {
    StepView s = steps.get(step);
    Instant started = s.startedAt() == null ? at : s.startedAt();
    steps.put(
        step,
        new StepView(
            step, state, started, Duration.between(started, at).toMillis(), detail, s.progress()));
  }

  synchronized void planned(String step, String detail) {
    steps.put(step, new StepView(step, StepState.PLANNED, null, -1, detail, null));
  }

  synchronized void failed(String step, Instant at, String why) {
    ended(step, StepState.FAILED, at, why);
    state = State.FAILED;
    error = step + ": " + why;
    finishedAt = at;
  }

  /** Step {@code step} failed and the workflow rolls back what the steps before it did. */
  synchronized void failedRollingBack(String step, Instant at, String why) {
    ended(step, StepState.FAILED, at, why);
    state = State.ROLLING_BACK;
    error = step + ": " + why;
  }

  /** What step {@code step} did was undone, as {@code detail} says. */
  synchronized void compensated(String step, String detail) {
    StepView s = steps.get(step);
    steps.put(
        step,
        new StepView(
            step,
            StepState.COMPENSATED,
            s.startedAt(),
            s.millis(),
            (s.detail() == null ? "" : s.detail() + "; ") + "undone: " + detail,
            null));
  }

  synchronized void finished(State outcome, Instant at, String why) {
    state = outcome;
    finishedAt = at;
    if (why != null) {
      error = why;
    }
  }

  /** The API's view of it now. */
  public synchronized View view() {
    return new View(
        id,
        tenant,
        kind,
        from,
        to,
        dryRun,
        actor,
        state,
        createdAt,
        finishedAt,
        List.copyOf(new ArrayList<>(steps.values())),
        new LinkedHashMap<>(facts),
        error);
  }

  /** Whether a thread of this process is running it now. */
  boolean executing() {
    return executing;
  }

  /** Marks whether a thread of this process is running it. */
  void executing(boolean now) {
    executing = now;
  }

  /**
   * Marks the calling thread as running one of its steps, so that a preemption can interrupt it
   * when the step is {@code interruptible}; false, marking nothing, when the workflow was preempted
   * already.
   */
  boolean enterStep(boolean interruptible) {
    synchronized (preemption) {
      if (preemptedBy != null) {
        return false;
      }
      runner = interruptible ? Thread.currentThread() : null;
      return true;
    }
  }

  /**
   * Ends the step the calling thread ran: no preemption interrupts it after this, and one that did
   * is cleared, so that the journal and the lock are written by a thread not interrupted.
   */
  void leaveStep() {
    synchronized (preemption) {
      runner = null;
      if (preemptedBy != null) {
        Thread.interrupted();
      }
    }
  }

  /**
   * Asks a running workflow to stop because {@code why} (another workflow preempts it): its next
   * step fails with that reason, and the step running now is interrupted.
   */
  void preempt(String why) {
    synchronized (preemption) {
      preemptedBy = why;
      if (runner != null) {
        runner.interrupt();
      }
    }
  }

  /** Why it was preempted, or null. */
  String preemptedBy() {
    synchronized (preemption) {
      return preemptedBy;
    }
  }
}
