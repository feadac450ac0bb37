package dev.kafkadr.controller.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks only a switchover drill's report carries: the RPO achieved (records of the old cluster
 * up to the fence missing or differing on the new one, compared after the switch), the RTO achieved
 * against the budget, the failback, and why the drill stopped when it did not complete.
 */
final class DrillReportChecks {

  private DrillReportChecks() {}

  /** Adds the switchover drill's checks to {@code checks}; {@code aborted}: why it stopped. */
  @SuppressWarnings("unchecked")
  static void switchover(Map<String, Object> f, Map<String, Object> checks, String aborted) {
    long budget = DrillSteps.number(f.getOrDefault("drillRtoBudgetSeconds", -1));
    if (aborted != null) {
      Map<String, Object> stopped = new LinkedHashMap<>();
      stopped.put("passed", false);
      stopped.put("failures", List.of(aborted));
      stopped.put("switched", f.containsKey("drillSwitchedAt"));
      stopped.put("budgetSeconds", budget);
      checks.put("switchover", stopped);
      return;
    }
    Map<String, Object> rpo = new LinkedHashMap<>();
    rpo.put("records", f.get("drillRpoAchievedRecords"));
    rpo.put(
        "measuredBy",
        "every committed record the old cluster took from the first cut to the fence, compared"
            + " with its copy on the new cluster after the switch");
    rpo.put("recordsLostByTheSwitchoversOwnCheck", f.getOrDefault("recordsLost", -1));
    rpo.put("partitions", f.getOrDefault("drillAfterCompleteness", Map.of()));
    checks.put(
        "rpoAchieved",
        DrillReport.check(
            (List<String>) f.getOrDefault("drillAfterCompletenessFailures", List.of()), rpo));
    long rtoMillis = DrillSteps.number(f.get("drillRtoAchievedMillis"));
    Map<String, Object> rto = new LinkedHashMap<>();
    rto.put("millis", rtoMillis);
    rto.put("budgetSeconds", budget);
    rto.put("rtoTargetSeconds", f.get("drillRtoTargetSeconds"));
    rto.put(
        "measuredBy",
        "from the start of fence-producers (clients' writes denied) to the end of switch-traffic"
            + " (clients handed the new cluster)");
    rto.put("fencedAt", Instant.ofEpochMilli(DrillSteps.number(f.get("drillFencedAt"))).toString());
    rto.put(
        "switchedAt", Instant.ofEpochMilli(DrillSteps.number(f.get("drillSwitchedAt"))).toString());
    List<String> breach = new ArrayList<>();
    if (rtoMillis > budget * 1000) {
      breach.add(
          "RTO achieved "
              + rtoMillis
              + " ms exceeds the budget of "
              + budget
              + " s (past the switch point: the switchover completed and failed back)");
    }
    checks.put("rtoAchieved", DrillReport.check(breach, rto));
    Map<String, Object> back = new LinkedHashMap<>();
    back.put("rtoMillis", f.get("drillFailbackRtoMillis"));
    back.put("recordsLost", f.getOrDefault(DrillSwitchover.FAILBACK + "recordsLost", -1));
    checks.put("failback", DrillReport.check(List.of(), back));
  }

  /** The failures of the switchover drill's checks, for the drill's one-line outcome. */
  @SuppressWarnings("unchecked")
  static String failuresOf(Map<String, Object> checks) {
    StringBuilder out = new StringBuilder();
    for (String name : List.of("rpoAchieved", "rtoAchieved", "switchover")) {
      if (checks.get(name) instanceof Map<?, ?> m
          && m.get("failures") instanceof List<?> l
          && !l.isEmpty()) {
        out.append("; ").append(name).append(": ");
        out.append(String.join("; ", ((List<Object>) l).stream().map(String::valueOf).toList()));
      }
    }
    return out.toString();
  }
}
