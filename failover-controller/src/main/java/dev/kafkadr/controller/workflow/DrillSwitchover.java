package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.lag.FlowLag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A switchover drill (disruptive, asked for on purpose): a real switchover of the tenant under its
 * live traffic and a failback home, with guard rails, the RPO and RTO achieved measured, and a
 * signed report in the tenant's chain like a verify drill's.
 *
 * <ol>
 *   <li>{@code guard-rpo}: aborts before anything is fenced when the data at risk now (the lag
 *       monitor's newest scan) is UNKNOWN or above the RPO;
 *   <li>{@code cut}, {@code await-copy}, {@code verify-completeness}, {@code check-copy}: the
 *       verify drill's comparison up to a cut taken now; a copy that differs or lags past the RPO
 *       aborts the drill before anything is fenced;
 *   <li>the switchover's own steps, each checked against the RTO budget (the tenant's RTO, or the
 *       one asked for) before it starts: once the time since {@code fence-producers} started
 *       exceeds it before the switch point ({@code switch-traffic}), the step fails and the
 *       switchover rolls back (the tenant stays where it was, no fence left). Past the switch point
 *       the switchover completes and the breach is recorded;
 *   <li>{@code cut-at-fence}, {@code verify-switched}: every committed record the old cluster took
 *       between the first cut and the fence compared with its copy on the new one: what is missing
 *       or differs is the RPO achieved, in records;
 *   <li>the failback's steps ({@code failback-...}), home again as planned;
 *   <li>{@code measure-achieved}, {@code write-report}, {@code verdict}.
 * </ol>
 *
 * The RTO achieved is the time clients could not write: from the start of {@code fence-producers}
 * (the DENY ACLs go in during it) to the end of {@code switch-traffic} (clients are handed the new
 * cluster, already unfenced).
 */
final class DrillSwitchover {

  /** The prefix of the failback phase's step names and facts. */
  static final String FAILBACK = "failback-";

  private DrillSwitchover() {}

  /** The drill's steps, in order. */
  static List<Step> steps(List<Step> move) {
    List<Step> out = new ArrayList<>();
    out.add(new GuardRpo());
    out.add(new DrillSteps.Cut());
    out.add(new DrillSteps.AwaitCopy());
    out.add(new DrillCompare.VerifyCompleteness());
    out.add(new CopyFit());
    boolean switched = false;
    for (Step s : move) {
      out.add(new Budgeted(s));
      if (Rollback.SWITCH.equals(s.name()) && !switched) {
        switched = true;
        out.add(new CutAtFence());
        out.add(new DrillCompare.VerifyCompleteness("verify-switched", "drillAfter", "drillAfter"));
      }
    }
    for (Step s : move) {
      out.add(new Reversed(s));
    }
    out.add(new Achieved());
    out.add(new DrillReport());
    out.add(new DrillReport.Verdict());
    return out;
  }

  /** The RTO budget in seconds: the one asked for ({@code rtoBudgetSeconds}), else the RTO. */
  static long budgetSeconds(StepContext c) {
    Object trigger = c.facts().get("trigger");
    if (trigger instanceof Map<?, ?> m && m.get("rtoBudgetSeconds") instanceof Number n) {
      return n.longValue();
    }
    return c.tenant().rto().toSeconds();
  }

  /** Aborts before anything is fenced when the data at risk is UNKNOWN or above the RPO. */
  static final class GuardRpo implements Step {
    @Override
    public String name() {
      return "guard-rpo";
    }

    @Override
    public String plan(StepContext c) {
      return "would abort before fencing unless the data at risk of "
          + c.from().alias()
          + " -> "
          + c.to().alias()
          + " is within the RPO ("
          + c.tenant().rpo().toSeconds()
          + " s); RTO budget "
          + budgetSeconds(c)
          + " s";
    }

    @Override
    public Outcome run(StepContext c) {
      Optional<FlowLag> lag =
          c.monitor().lastMeasured(c.tenant().id(), c.from().alias(), c.to().alias());
      long rpo = c.tenant().rpo().toSeconds();
      if (lag.isEmpty() || !lag.get().known()) {
        throw new WorkflowException(
            "aborted before fencing: data at risk UNKNOWN ("
                + lag.map(FlowLag::problem).orElse("no scan of the flow yet")
                + ")");
      }
      FlowLag l = lag.get();
      if (l.lagSeconds() > rpo) {
        throw new WorkflowException(
            "aborted before fencing: data at risk "
                + l.lagSeconds()
                + " s ("
                + l.lagRecords()
                + " records) exceeds the RPO of "
                + rpo
                + " s");
      }
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("drillDataAtRiskRecords", l.lagRecords());
      facts.put("drillDataAtRiskSeconds", l.lagSeconds());
      facts.put("drillRpoStatus", l.status().name());
      facts.put("drillRpoSeconds", rpo);
      facts.put("drillRtoTargetSeconds", c.tenant().rto().toSeconds());
      facts.put("drillRtoBudgetSeconds", budgetSeconds(c));
      return new Outcome(
          l.lagRecords()
              + " records ("
              + l.lagSeconds()
              + " s) at risk, within the RPO of "
              + rpo
              + " s; RTO budget "
              + budgetSeconds(c)
              + " s",
          facts);
    }
  }

  /** Aborts before anything is fenced when the copy differs or lags past the RPO. */
  static final class CopyFit implements Step {
    @Override
    public String name() {
      return "check-copy";
    }

    @Override
    public String plan(StepContext c) {
      return "would abort before fencing if the comparison found a record not copied or differing";
    }

    @Override
    @SuppressWarnings("unchecked")
    public Outcome run(StepContext c) {
      List<String> failures =
          (List<String>) c.facts().getOrDefault("drillCompletenessFailures", List.of());
      if (!failures.isEmpty()) {
        throw new WorkflowException(
            "aborted before fencing: the copy on "
                + c.to().alias()
                + " is not fit to take over: "
                + String.join("; ", failures));
      }
      return Outcome.of("the copy on " + c.to().alias() + " holds every record up to the cut");
    }
  }

  /**
   * A switchover step checked against the RTO budget before it starts (until the switch point), and
   * timed where the RTO is measured: {@code drillFencedAt} (epoch ms) when {@code fence-producers}
   * starts, {@code drillSwitchedAt} when {@code switch-traffic} ends.
   */
  static final class Budgeted implements Step {
    private final Step step;

    Budgeted(Step step) {
      this.step = step;
    }

    @Override
    public String name() {
      return step.name();
    }

    @Override
    public String plan(StepContext c) throws Exception {
      return step.plan(c);
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      Map<String, Object> f = c.facts();
      if (f.get("drillFencedAt") instanceof Number fenced && !f.containsKey("drillSwitchedAt")) {
        long elapsed = System.currentTimeMillis() - fenced.longValue();
        long budget = budgetSeconds(c);
        if (elapsed > budget * 1000) {
          throw new WorkflowException(
              "the RTO budget of "
                  + budget
                  + " s ran out before the switch point: "
                  + elapsed
                  + " ms since the producers were fenced, before "
                  + step.name()
                  + "; the switchover is rolled back");
        }
      }
      return timed(step, c);
    }

    @Override
    public Optional<String> compensate(StepContext c) throws Exception {
      return step.compensate(c);
    }
  }

  /**
   * Runs {@code step}, adding {@code drillFencedAt} or {@code drillSwitchedAt} (epoch ms); the
   * failback phase stores them under its own prefix ({@link Reversed}).
   */
  static Step.Outcome timed(Step step, StepContext c) throws Exception {
    long started = System.currentTimeMillis();
    Step.Outcome o = step.run(c);
    Map<String, Object> facts = new LinkedHashMap<>(o.facts());
    if ("fence-producers".equals(step.name())) {
      facts.put("drillFencedAt", started);
    }
    if (Rollback.SWITCH.equals(step.name())) {
      facts.put("drillSwitchedAt", System.currentTimeMillis());
    }
    return new Step.Outcome(o.detail(), facts);
  }

  /** A step of the failback phase: the step with the clusters swapped and its own facts. */
  static final class Reversed implements Step {
    private final Step step;

    Reversed(Step step) {
      this.step = step;
    }

    @Override
    public String name() {
      return FAILBACK + step.name();
    }

    @Override
    public String plan(StepContext c) {
      // Planned from the world as it will be after the switchover, not as it is now (the reverse
      // flow it starts does not run yet): the step is named, not read.
      return "after the switchover, the failback's "
          + step.name()
          + " from "
          + c.to().alias()
          + " to "
          + c.from().alias();
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      try (StepContext back = c.reversed(FAILBACK)) {
        Outcome o = timed(step, back);
        Map<String, Object> facts = new LinkedHashMap<>();
        o.facts().forEach((k, v) -> facts.put(FAILBACK + k, v));
        return new Outcome(o.detail(), facts);
      }
    }

    @Override
    public Optional<String> compensate(StepContext c) throws Exception {
      try (StepContext back = c.reversed(FAILBACK)) {
        return step.compensate(back);
      }
    }
  }

  /**
   * Each partition's last stable offset on the old cluster once its producers are fenced: the end
   * of the range compared after the switch, which starts at the first cut.
   */
  static final class CutAtFence implements Step {
    @Override
    public String name() {
      return "cut-at-fence";
    }

    @Override
    public String plan(StepContext c) {
      return "would read each partition's last stable offset on "
          + c.from().alias()
          + " (fenced) as the end of the range compared after the switch";
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      Map<String, Object> first = DrillSteps.partitionsFact(c, "drillCut");
      Map<String, Object> cut =
          TenantTopics.lastStable(
              c.admin(c.from()), first.keySet().stream().map(DrillSteps::partition).toList());
      long total = 0;
      for (var e : cut.entrySet()) {
        total += DrillSteps.number(e.getValue()) - DrillSteps.number(first.get(e.getKey()));
      }
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("drillAfterCut", cut);
      facts.put("drillAfterFrom", first);
      return new Outcome(
          total
              + " offsets written on "
              + c.from().alias()
              + " between the first cut and the fence, to compare with "
              + c.to().alias(),
          facts);
    }
  }

  /**
   * The RPO achieved (records of the old cluster, up to the fence, missing or differing on the new
   * one) and the RTO achieved of the switchover and of the failback, against the budget.
   */
  static final class Achieved implements Step {
    @Override
    public String name() {
      return "measure-achieved";
    }

    @Override
    public String plan(StepContext c) {
      return "would measure the RPO and RTO achieved";
    }

    @Override
    public Outcome run(StepContext c) {
      Map<String, Object> f = c.facts();
      long lost =
          DrillSteps.number(f.getOrDefault("drillAfterNotCopied", 0))
              + DrillSteps.number(f.getOrDefault("drillAfterDiffer", 0));
      long rto =
          DrillSteps.number(f.get("drillSwitchedAt")) - DrillSteps.number(f.get("drillFencedAt"));
      long back =
          DrillSteps.number(f.get(FAILBACK + "drillSwitchedAt"))
              - DrillSteps.number(f.get(FAILBACK + "drillFencedAt"));
      long budget = DrillSteps.number(f.get("drillRtoBudgetSeconds"));
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("drillRpoAchievedRecords", lost);
      facts.put("drillRtoAchievedMillis", rto);
      facts.put("drillFailbackRtoMillis", back);
      return new Outcome(
          "RPO achieved "
              + lost
              + " records (compared after the switch); RTO achieved "
              + rto
              + " ms (budget "
              + budget
              + " s"
              + (rto > budget * 1000 ? ": BREACHED" : "")
              + "); failback "
              + back
              + " ms",
          facts);
    }
  }
}
