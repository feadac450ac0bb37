package dev.kafkadr.controller.workflow;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The workflows' metrics: each step's and each workflow's duration, and per tenant and kind the RTO
 * and the records lost its last workflow achieved.
 */
final class WorkflowMetrics {

  private static final String LOST_DESCRIPTION =
      "Records lost by the tenant's last workflow: measured after the drain for a switchover or"
          + " failback; for a failover a lower bound, replaced by the exact count of kdr reconcile";

  private final MeterRegistry meters;
  private final Map<String, AtomicReference<Double>> achieved = new ConcurrentHashMap<>();

  WorkflowMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /** The timer of one step of one kind of workflow. */
  Timer stepTimer(WorkflowKind kind, String step) {
    return Timer.builder("kdr.workflow.step.duration")
        .description("Time one workflow step took")
        .tag("kind", Workflows.verb(kind))
        .tag("step", step)
        .register(meters);
  }

  /**
   * A workflow ended: its duration; for a successful move, the RTO achieved (to the traffic switch)
   * and the records lost, from its final {@code facts}.
   */
  void ended(
      WorkflowRun run, Timer.Sample total, WorkflowRun.State outcome, Map<String, Object> facts) {
    total.stop(
        Timer.builder("kdr.workflow.duration")
            .description("Time a workflow took, trigger to its last step")
            .tag("kind", Workflows.verb(run.kind()))
            .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
            .register(meters));
    if (outcome == WorkflowRun.State.SUCCEEDED
        && run.kind().movesTenant()
        && !run.kind().isDrill()) {
      Object switched = run.facts().getOrDefault("trafficSwitchedMillis", facts.get("rtoMillis"));
      achieved(
              run,
              "kdr.workflow.rto.seconds",
              "RTO achieved by the tenant's last workflow: trigger to clients handed the new cluster")
          .set(((Number) switched).doubleValue() / 1000.0);
      Object lost = facts.getOrDefault("recordsLost", facts.get("recordsLostAtLeast"));
      lost(run, ((Number) lost).doubleValue());
    }
  }

  /** The records the tenant's last workflow lost: {@code records}. */
  void lost(WorkflowRun run, double records) {
    achieved(run, "kdr.workflow.records.lost", LOST_DESCRIPTION).set(records);
  }

  /** The gauge {@code name} of the run's tenant and kind, registered on first use. */
  AtomicReference<Double> achieved(WorkflowRun run, String name, String description) {
    return achieved.computeIfAbsent(
        name + "|" + run.tenant() + "|" + run.kind(),
        k -> {
          var value = new AtomicReference<>(Double.NaN);
          Gauge.builder(name, value, AtomicReference::get)
              .description(description)
              .tag("tenant", run.tenant())
              .tag("kind", Workflows.verb(run.kind()))
              .register(meters);
          return value;
        });
  }
}
