package dev.kafkadr.controller.workflow;

import static dev.kafkadr.controller.workflow.DrillSteps.number;

import dev.kafkadr.controller.drill.Completeness;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A migration's verify ({@link WorkflowKind#MIGRATION_VERIFY}): its cut over every record the
 * tenant's topics hold, the verdict, and the refusal of a cut-over after a verify that failed. The
 * wait for the copy ({@link DrillSteps.AwaitCopy}) and the comparison ({@link
 * DrillCompare.VerifyCompleteness}) are the verify drill's, unchanged, on the facts {@code
 * migration...}.
 */
final class MigrationVerify {

  /** The prefix of this workflow's facts: {@code migrationCut}, {@code migrationCompleteness}. */
  static final String FACTS = "migration";

  private MigrationVerify() {}

  /** The steps of a migration's verify. */
  static List<Step> steps() {
    return List.of(
        new Cut(),
        new DrillSteps.AwaitCopy(FACTS),
        new DrillCompare.VerifyCompleteness("verify-copy", FACTS, FACTS, FACTS + "Copies"),
        new Verdict());
  }

  /**
   * Refuses a switchover ({@code kind}; other kinds pass) of {@code tenant} to {@code target} (a
   * migration's cut-over) while the newest of the tenant's migration verifies to that cluster among
   * {@code runs} that reached a verdict found the copy wrong. A verify that stopped before its
   * verdict (an error, a partition too long, a failover preempting it) neither refuses nor lifts a
   * refusal; a tenant never verified is not refused here (the switchover's own steps drain and
   * verify what it moves). A failover is never refused.
   *
   * @throws WorkflowRefused naming the failed verify and why it failed
   */
  static void refuseAfterFailedVerify(
      Collection<WorkflowRun> runs, String tenant, WorkflowKind kind, String target) {
    if (kind != WorkflowKind.SWITCHOVER) {
      return;
    }
    runs.stream()
        .filter(r -> r.kind() == WorkflowKind.MIGRATION_VERIFY)
        .filter(r -> r.tenant().equals(tenant) && r.to().equals(target))
        .filter(r -> verdict(r) != null)
        .max(Comparator.comparing(WorkflowRun::createdAt))
        .filter(r -> verdict(r) == WorkflowRun.StepState.FAILED)
        .ifPresent(
            r -> {
              throw new WorkflowRefused(
                  "the newest migration verify of "
                      + tenant
                      + " to "
                      + target
                      + " ("
                      + r.id()
                      + ") found the copy wrong: "
                      + r.view().error()
                      + "; a switchover there waits for a verify that passes (kdr migrate verify"
                      + " --tenant "
                      + tenant
                      + ")");
            });
  }

  /** The state of {@code run}'s verdict step when it reached one (DONE or FAILED), else null. */
  private static WorkflowRun.StepState verdict(WorkflowRun run) {
    return run.view().steps().stream()
        .filter(s -> "verdict".equals(s.name()))
        .map(WorkflowRun.StepView::state)
        .filter(s -> s == WorkflowRun.StepState.DONE || s == WorkflowRun.StepState.FAILED)
        .findFirst()
        .orElse(null);
  }

  /**
   * Each partition's last stable offset on the tenant's cluster now (the cut), compared from its
   * log start: the whole of what a migration moves. A partition holding more than {@link
   * Completeness#MAX_RANGE} offsets fails the step, naming it.
   */
  static final class Cut implements Step {
    @Override
    public boolean interruptible() {
      return true; // it only reads
    }

    @Override
    public String name() {
      return "cut";
    }

    @Override
    public String plan(StepContext c) {
      return "would read each partition's log start and last stable offset on "
          + c.from().alias()
          + " and verify everything between";
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      Map<String, Object> cut = new TreeMap<>();
      Map<String, Object> from = new TreeMap<>();
      List<String> tooLong = new java.util.ArrayList<>();
      long total = 0;
      for (var e : DrillSteps.logRanges(c).entrySet()) {
        long start = e.getValue()[0];
        long lso = e.getValue()[1];
        if (lso - start > Completeness.MAX_RANGE) {
          tooLong.add(e.getKey() + " (" + (lso - start) + " offsets)");
        }
        cut.put(e.getKey(), lso);
        from.put(e.getKey(), start);
        total += lso - start;
      }
      if (!tooLong.isEmpty()) {
        throw new WorkflowException(
            "a verify compares at most "
                + Completeness.MAX_RANGE
                + " offsets of a partition at once; these hold more: "
                + tooLong);
      }
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put(FACTS + "Cut", cut);
      facts.put(FACTS + "From", from);
      facts.put(FACTS + "Sample", Map.of());
      facts.put(FACTS + "Copies", DrillSteps.copiesFact(c));
      return new Outcome(
          cut.size()
              + " partition(s) cut at their last stable offset on "
              + c.from().alias()
              + "; "
              + total
              + " offsets to verify, from each log start",
          facts);
    }
  }

  /**
   * Fails the verify when the comparison found a partition that differs or is not copied, or
   * records the copy's own retention deleted (a drill accepts those; a migration would lose them).
   */
  static final class Verdict implements Step {
    @Override
    public String name() {
      return "verdict";
    }

    @Override
    public String plan(StepContext c) {
      return "would fail the verify if any partition's copy differs, is not complete, or lost"
          + " records to the target's retention";
    }

    @Override
    public Outcome run(StepContext c) {
      List<String> wrong = new java.util.ArrayList<>();
      if (c.facts().get(FACTS + "CompletenessFailures") instanceof List<?> l) {
        l.forEach(f -> wrong.add(String.valueOf(f)));
      }
      long expired = number(c.facts().getOrDefault(FACTS + "ExpiredOnCopy", 0L));
      if (expired > 0) {
        // Not a failure for a drill (the copy keeps what its retention allows); after a cut-over
        // these records would be gone.
        wrong.add(
            expired
                + " record(s) deleted from the copy by its own retention (see each partition's"
                + " expiredOnCopy): the target's retention is shorter than the source's");
      }
      if (!wrong.isEmpty()) {
        throw new WorkflowException(
            "the copy on " + c.to().alias() + " is not the source's: " + String.join("; ", wrong));
      }
      return Outcome.of(
          "passed: "
              + c.facts().get(FACTS + "OffsetsVerified")
              + " offsets verified, every committed record matched by its copy");
    }
  }
}
