package dev.kafkadr.controller.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which failovers leave an old cluster for {@link OldClusterFencer} to fence on its return. */
class OldClusterFencerTest {

  private static final Instant T = Instant.parse("2026-11-30T12:00:00Z");

  @Test
  void aFailoverThatCouldNotFenceTheOldClusterIsFencedLater() {
    var failover = run("f1", "shop", WorkflowKind.FAILOVER, 10, Map.of("oldFenced", false));
    assertThat(OldClusterFencer.unfenced(List.of(failover))).containsExactly(failover);
  }

  @Test
  void aFailoverThatFencedTheOldClusterNeedsNothingOneThatFailedIsLeftToTheRegistry() {
    var fenced = run("f1", "shop", WorkflowKind.FAILOVER, 10, Map.of("oldFenced", true));
    var failed = ended("f2", "acme", WorkflowKind.FAILOVER, 10, WorkflowRun.State.FAILED);
    // a failover that failed after its switch point moved the tenant: the registry tells
    assertThat(OldClusterFencer.unfenced(List.of(fenced, failed))).containsExactly(failed);
  }

  @Test
  void aLaterWorkflowThatMovedOrMayMoveTheTenantDecidesAnew() {
    var failover = run("f1", "shop", WorkflowKind.FAILOVER, 10, Map.of("oldFenced", false));
    var failback = run("b1", "shop", WorkflowKind.FAILBACK, 20, Map.of());
    var running = ended("b2", "shop", WorkflowKind.FAILBACK, 20, WorkflowRun.State.RUNNING);
    var other = run("f2", "acme", WorkflowKind.FAILOVER, 5, Map.of("oldFenced", false));
    assertThat(OldClusterFencer.unfenced(List.of(failback, failover, other)))
        .containsExactly(other);
    assertThat(OldClusterFencer.unfenced(List.of(running, failover))).isEmpty();
  }

  @Test
  void aLaterDrillOrAWorkflowThatFailedOrRolledBackDoesNot() {
    var failover = run("f1", "shop", WorkflowKind.FAILOVER, 10, Map.of("oldFenced", false));
    var drill = run("d1", "shop", WorkflowKind.DRILL_VERIFY, 20, Map.of());
    var failedBack = ended("b1", "shop", WorkflowKind.FAILBACK, 30, WorkflowRun.State.FAILED);
    var rolledBack =
        ended("s1", "shop", WorkflowKind.SWITCHOVER, 40, WorkflowRun.State.ROLLED_BACK);
    assertThat(OldClusterFencer.unfenced(List.of(drill, failedBack, rolledBack, failover)))
        .containsExactly(failover);
  }

  private static WorkflowRun.View ended(
      String id, String tenant, WorkflowKind kind, int second, WorkflowRun.State state) {
    return new WorkflowRun.View(
        id,
        tenant,
        kind,
        "primary",
        "secondary",
        false,
        "ops",
        state,
        T.plusSeconds(second),
        state == WorkflowRun.State.RUNNING ? null : T.plusSeconds(second + 1),
        List.of(),
        kind == WorkflowKind.FAILOVER ? Map.of("oldFenced", false) : Map.of(),
        state == WorkflowRun.State.FAILED ? "it failed" : null);
  }

  private static WorkflowRun.View run(
      String id, String tenant, WorkflowKind kind, int second, Map<String, Object> facts) {
    return new WorkflowRun.View(
        id,
        tenant,
        kind,
        "primary",
        "secondary",
        false,
        "ops",
        WorkflowRun.State.SUCCEEDED,
        T.plusSeconds(second),
        T.plusSeconds(second + 1),
        List.of(),
        facts,
        null);
  }
}
