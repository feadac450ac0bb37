package dev.kafkadr.controller.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.controller.lag.FlowHealth;
import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.Gap;
import dev.kafkadr.controller.lag.RpoStatus;
import dev.kafkadr.controller.workflow.WorkflowKind;
import dev.kafkadr.controller.workflow.WorkflowRun;
import dev.kafkadr.controller.workflow.WorkflowRun.StepState;
import dev.kafkadr.controller.workflow.WorkflowRun.StepView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventDiffTest {

  private static final Instant T = Instant.parse("2026-11-30T12:00:00Z");

  private static FlowLag flow(RpoStatus status, double lagSeconds, List<Gap> gaps, FlowHealth h) {
    return new FlowLag(
        "acme",
        "primary",
        "secondary",
        Duration.ofSeconds(30),
        10,
        lagSeconds,
        status,
        List.of(),
        gaps,
        List.of(),
        h,
        null,
        T,
        T);
  }

  private static FlowHealth health(String replication, String connectorState, String trace) {
    return new FlowHealth(
        replication,
        List.of(
            new FlowHealth.ConnectorState(
                "acme-source", connectorState, List.of(connectorState), trace)),
        1.0,
        null,
        "at-least-once",
        "default",
        List.of());
  }

  @Test
  void aFlowThatDidNotChangeSaysNothing() {
    FlowLag f = flow(RpoStatus.OK, 1.0, List.of(), health("RUNNING", "RUNNING", null));
    assertThat(EventDiff.flow(f, f)).isEmpty();
  }

  @Test
  void statusGapsAndReplicationChangesAreEachOneEvent() {
    Gap gap = new Gap("acme.orders", 0, 10, 30, T, true);
    FlowLag was = flow(RpoStatus.OK, 1.0, List.of(), health("RUNNING", "RUNNING", null));
    FlowLag now =
        flow(
            RpoStatus.BREACH,
            31.25,
            List.of(gap),
            health(
                "FAILED",
                "FAILED",
                "org.apache.kafka.connect.errors.ConnectException: boom\n\tat Some.frame"));

    List<TenantEvent> events = EventDiff.flow(was, now);

    assertThat(events)
        .extracting(TenantEvent::kind)
        .containsExactly("rpo-status", "gap", "replication");
    assertThat(events).allSatisfy(e -> assertThat(e.flow()).isEqualTo("primary->secondary"));
    assertThat(events.get(0).text())
        .isEqualTo(
            "RPO status OK -> BREACH: 31.3 s of data at risk against an RPO of 30.0 s;"
                + " 20 offsets lost to gaps");
    assertThat(events.get(1).text())
        .isEqualTo("acme.orders-0 [10, 30): 20 offsets lost to the copy before they were copied");
    assertThat(events.get(2).text())
        .isEqualTo(
            "replication RUNNING -> FAILED; acme-source FAILED, tasks [FAILED]:"
                + " org.apache.kafka.connect.errors.ConnectException: boom");
    // The same gap in the next scan is no new event; the same gap confirmed is.
    assertThat(EventDiff.flow(now, now)).isEmpty();
    FlowLag confirmed =
        flow(
            RpoStatus.BREACH,
            31.25,
            List.of(new Gap("acme.orders", 0, 10, 30, T, true)),
            now.health());
    FlowLag unconfirmed =
        flow(
            RpoStatus.BREACH,
            31.25,
            List.of(new Gap("acme.orders", 0, 10, 30, T, false)),
            now.health());
    assertThat(EventDiff.flow(unconfirmed, confirmed))
        .extracting(TenantEvent::text)
        .containsExactly(
            "acme.orders-0 [10, 30): 20 offsets lost to the copy before they were copied");
  }

  private static WorkflowRun.View run(
      WorkflowKind kind, WorkflowRun.State state, Instant finished, List<StepView> steps) {
    return new WorkflowRun.View(
        "w1",
        "acme",
        kind,
        "primary",
        "secondary",
        false,
        "olu",
        state,
        T,
        finished,
        steps,
        Map.of(),
        state == WorkflowRun.State.FAILED ? "verify: copy differs\nmore" : null);
  }

  @Test
  void aWorkflowsStartStepsAndEndAreEvents() {
    StepView fenceRunning = new StepView("fence", StepState.RUNNING, T, -1, null, null);
    StepView fenceDone =
        new StepView("fence", StepState.DONE, T, 120, "producers fenced\nsecond line", null);
    WorkflowRun.View started =
        run(WorkflowKind.SWITCHOVER, WorkflowRun.State.RUNNING, null, List.of(fenceRunning));
    WorkflowRun.View ended =
        run(
            WorkflowKind.SWITCHOVER,
            WorkflowRun.State.SUCCEEDED,
            T.plusSeconds(4),
            List.of(fenceDone));

    assertThat(EventDiff.workflow(null, started))
        .extracting(TenantEvent::text)
        .containsExactly(
            "switchover started by olu (primary -> secondary)", "switchover: step fence started");
    List<TenantEvent> end = EventDiff.workflow(started, ended);
    assertThat(end)
        .extracting(TenantEvent::text)
        .containsExactly(
            "switchover: step fence DONE in 120 ms: producers fenced",
            "switchover SUCCEEDED after 4.0 s");
    assertThat(end.get(0).at()).isEqualTo(T.plusMillis(120));
    assertThat(EventDiff.workflow(ended, ended)).isEmpty();
  }

  @Test
  void aDrillsEndIsADrillEventWithItsFirstErrorLine() {
    WorkflowRun.View running =
        run(WorkflowKind.DRILL_VERIFY, WorkflowRun.State.RUNNING, null, List.of());
    WorkflowRun.View failed =
        run(WorkflowKind.DRILL_VERIFY, WorkflowRun.State.FAILED, T.plusSeconds(2), List.of());

    List<TenantEvent> events = EventDiff.workflow(running, failed);

    assertThat(events).extracting(TenantEvent::kind).containsExactly("drill");
    assertThat(events.get(0).text())
        .isEqualTo("drill-verify FAILED after 2.0 s: verify: copy differs");
    assertThat(events.get(0).workflow()).isEqualTo("w1");
  }
}
