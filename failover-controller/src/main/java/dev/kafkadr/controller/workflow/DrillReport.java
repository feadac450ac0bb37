package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.drill.DrillReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The verify drill's last step: its report, appended to the tenant's signed chain ({@link
 * DrillReports}), whatever the checks found; the drill then fails ({@link Verdict}) when a check
 * failed. The report's SHA-256 goes into the workflow's facts, and so into the audit log when the
 * drill ends: the chain head published outside the report store.
 */
final class DrillReport implements Step {

  @Override
  public String name() {
    return "write-report";
  }

  @Override
  public String plan(StepContext c) {
    return "would write the signed report to " + DrillSteps.reportsDir(c).resolve(c.tenant().id());
  }

  @Override
  public Outcome run(StepContext c) throws Exception {
    return write(c, null);
  }

  /**
   * The report of a switchover drill that failed or was rolled back before its report step ({@code
   * why}: the step and the reason), written, journaled and recorded as that step's outcome, so that
   * every drill leaves evidence. Nothing for other workflows, or when the report is written.
   */
  static void afterFailure(StepContext c, WorkflowRun run, Journal journal, String why) {
    if (run.kind() != WorkflowKind.DRILL_SWITCHOVER || run.isDone("write-report")) {
      return;
    }
    try {
      Outcome o = write(c, why);
      Instant at = Instant.now();
      journal.append(
          new Journal.Event("step-done", "write-report", at.toEpochMilli(), o.detail(), o.facts()));
      run.done("write-report", at, o.detail(), o.facts());
    } catch (Exception e) {
      org.jboss.logging.Logger.getLogger(DrillReport.class)
          .errorf("the report of drill %s could not be written: %s", run.id(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Outcome write(StepContext c, String aborted) throws Exception {
    Map<String, Object> f = c.facts();
    boolean switchover = c.kind() == WorkflowKind.DRILL_SWITCHOVER;
    Map<String, Object> checks = new LinkedHashMap<>();
    List<String> completeness =
        (List<String>) f.getOrDefault("drillCompletenessFailures", List.of());
    checks.put("completeness", completeness(f, completeness));
    if (switchover) {
      checks.put("numbers", numbers(f));
      DrillReportChecks.switchover(f, checks, aborted);
    } else {
      checks.put(
          "offsets",
          check(
              (List<String>) f.getOrDefault("drillOffsetFailures", List.of()),
              Map.of("groups", f.getOrDefault("drillGroups", Map.of()))));
      checks.put("numbers", numbers(f));
      String notBuilt = "not run: this version's verify drill does not exercise it yet";
      checks.put(
          "writability",
          f.getOrDefault("drillWritability", Map.of("passed", "not run", "why", notBuilt)));
      checks.put(
          "traffic", f.getOrDefault("drillTraffic", Map.of("passed", "not run", "why", notBuilt)));
    }
    List<String> failed =
        checks.entrySet().stream()
            .filter(e -> Boolean.FALSE.equals(((Map<String, Object>) e.getValue()).get("passed")))
            .map(Map.Entry::getKey)
            .toList();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("drill", c.workflowId());
    report.put("tenant", c.tenant().id());
    report.put("kind", switchover ? "switchover" : "verify");
    report.put("passed", failed.isEmpty());
    report.put("failedChecks", failed);
    report.put("activeCluster", c.from().alias());
    report.put("copyCluster", c.to().alias());
    report.put("startedAt", c.triggeredAt().toString());
    report.put("writtenAt", Instant.now().toString());
    report.put("softwareVersion", version());
    report.put("tenantsFileSha256", tenantsFileSha256());
    report.put("trigger", trigger(c, f));
    report.put("cut", f.get("drillCut"));
    report.put("checks", checks);
    DrillReports.Written w =
        new DrillReports(DrillSteps.reportsDir(c)).append(c.tenant().id(), c.workflowId(), report);
    String where = w.file().getFileName() + " (sha256 " + w.sha256() + ")";
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("drillReport", w.file().getFileName().toString());
    facts.put("drillReportSha256", w.sha256());
    facts.put("drillReportSequence", w.sequence());
    facts.put("drillChainPublished", publish(c, w, report));
    if (!failed.isEmpty()) {
      facts.put(
          "drillFailed",
          "the drill failed "
              + failed
              + ", report "
              + where
              + ": "
              + String.join("; ", completeness)
              + failuresOf(f)
              + DrillReportChecks.failuresOf(checks)
              + numbersFailure(checks));
      return new Outcome("report " + where + "; failed checks: " + failed, facts);
    }
    return new Outcome("every check passed; report " + where, facts);
  }

  /**
   * The new chain head published on both clusters ({@link DrillChainTopic}): per cluster alias, the
   * record's offset, or why it could not be published (the report stands; the chain check then
   * finds the head missing there).
   */
  private static Map<String, Object> publish(
      StepContext c, DrillReports.Written w, Map<String, Object> report) {
    Map<String, Object> head = new LinkedHashMap<>();
    head.put("tenant", c.tenant().id());
    head.put("sequence", w.sequence());
    head.put("drill", c.workflowId());
    head.put("sha256", w.sha256());
    head.put("writtenAt", report.get("writtenAt"));
    Map<String, Object> out = new LinkedHashMap<>();
    for (var cluster : List.of(c.from(), c.to())) {
      try {
        c.beforeEffect("records");
        out.put(
            cluster.alias(),
            DrillChainTopic.publish(cluster, c.admin(cluster), c.tenant().id(), head));
      } catch (Exception e) {
        out.put(cluster.alias(), "not published: " + Workflows.message(e));
      }
    }
    return out;
  }

  private static Map<String, Object> completeness(Map<String, Object> f, List<String> failures) {
    long verified = DrillSteps.number(f.getOrDefault("drillOffsetsVerified", 0));
    long upToCut = DrillSteps.number(f.getOrDefault("drillOffsetsUpToCut", 0));
    return check(
        failures,
        Map.of(
            "partitions", f.getOrDefault("drillCompleteness", Map.of()),
            "samples", f.getOrDefault("drillCompletenessSamples", Map.of()),
            "duplicatesAllowed", f.getOrDefault("drillDuplicatesAllowed", true),
            "compactedTopics", f.getOrDefault("drillCompactedTopics", List.of()),
            "copyBehindAfterRpo", f.getOrDefault("drillCopyBehind", Map.of()),
            "sampleDuplicatesCountedWithin", DrillCompare.SAMPLE_TAIL,
            "offsetsVerified", verified,
            "offsetsUpToCut", upToCut,
            "shareVerified", upToCut == 0 ? 1.0 : Math.min(1.0, (double) verified / upToCut)));
  }

  /** What started the drill: its schedule's occurrence, or who asked (and with what budget). */
  private static Map<String, Object> trigger(StepContext c, Map<String, Object> f) {
    Map<String, Object> asked = new LinkedHashMap<>();
    if (f.get("trigger") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> asked.put(String.valueOf(k), v));
    }
    if (!asked.containsKey("schedule")) {
      asked.put("askedBy", c.actor());
    }
    return asked;
  }

  @SuppressWarnings("unchecked")
  private static String numbersFailure(Map<String, Object> checks) {
    Map<String, Object> n = (Map<String, Object>) checks.get("numbers");
    if (Boolean.TRUE.equals(n.get("passed"))) {
      return "";
    }
    return n.containsKey("dataAtRisk")
        ? "; data at risk " + n.get("dataAtRisk")
        : "; data at risk " + n.get("dataAtRiskRecords") + " records: RPO " + n.get("rpoStatus");
  }

  /**
   * The drill's outcome: failed, naming every failed check, when the report says so. A step of its
   * own so that a failed drill's report is journaled and its hash audited like a passed one's.
   */
  static final class Verdict implements Step {
    @Override
    public String name() {
      return "verdict";
    }

    @Override
    public String plan(StepContext c) {
      return "would fail the drill if any check failed";
    }

    @Override
    public Outcome run(StepContext c) {
      Object failed = c.facts().get("drillFailed");
      if (failed != null) {
        throw new WorkflowException(failed.toString());
      }
      return Outcome.of("passed");
    }
  }

  /**
   * Refuses a drill of {@code tenant} asked for at {@code now} when its tenant declares drill
   * windows and {@code now} is outside every one of them.
   *
   * @throws WorkflowRefused naming the windows
   */
  static void refuseOutsideWindows(
      dev.kafkadr.config.TenantsFile file, String tenant, Instant now) {
    List<dev.kafkadr.config.DrillSchedule> windowed =
        file.drills().getOrDefault(tenant, List.of()).stream()
            .filter(d -> d.windowFrom() != null)
            .toList();
    if (!windowed.isEmpty() && windowed.stream().noneMatch(d -> d.inWindow(now))) {
      throw new WorkflowRefused(
          "drills of "
              + tenant
              + " run only within its drill windows "
              + windowed.stream().map(dev.kafkadr.config.DrillSchedule::window).toList()
              + "; now is outside them");
    }
  }

  @SuppressWarnings("unchecked")
  private static String failuresOf(Map<String, Object> f) {
    List<String> offsets = (List<String>) f.getOrDefault("drillOffsetFailures", List.of());
    Object access = f.get("drillWritability");
    List<String> denied =
        access instanceof Map<?, ?> m && m.get("failures") instanceof List<?> l
            ? l.stream().map(String::valueOf).toList()
            : List.of();
    Object traffic = f.get("drillTraffic");
    List<String> unreached =
        traffic instanceof Map<?, ?> m && m.get("failures") instanceof List<?> l
            ? l.stream().map(String::valueOf).toList()
            : List.of();
    return (offsets.isEmpty() ? "" : "; offsets: " + String.join("; ", offsets))
        + (denied.isEmpty() ? "" : "; writability: " + String.join("; ", denied))
        + (unreached.isEmpty() ? "" : "; traffic: " + String.join("; ", unreached));
  }

  static Map<String, Object> check(List<String> failures, Map<String, Object> figures) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("passed", failures.isEmpty());
    out.put("failures", failures);
    out.putAll(figures);
    return out;
  }

  /** Data at risk within the RPO: passed; UNKNOWN: not passed, with the reason. */
  private static Map<String, Object> numbers(Map<String, Object> f) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rpoSeconds", f.get("drillRpoSeconds"));
    out.put("rtoTargetSeconds", f.get("drillRtoTargetSeconds"));
    if (f.containsKey("drillDataAtRiskRecords")) {
      out.put("passed", !"BREACH".equals(f.get("drillRpoStatus")));
      out.put("dataAtRiskRecords", f.get("drillDataAtRiskRecords"));
      out.put("dataAtRiskSeconds", f.get("drillDataAtRiskSeconds"));
      out.put("rpoStatus", f.get("drillRpoStatus"));
    } else {
      out.put("passed", false);
      out.put("dataAtRisk", "UNKNOWN: " + f.get("drillDataAtRiskUnknown"));
    }
    if (f.containsKey("drillRtoEstimate") || f.containsKey("drillRtoEstimateUnknown")) {
      out.put(
          "rtoEstimate",
          f.containsKey("drillRtoEstimate")
              ? f.get("drillRtoEstimate")
              : "UNKNOWN: " + f.get("drillRtoEstimateUnknown"));
    }
    return out;
  }

  private static String version() {
    return ConfigProvider.getConfig()
        .getOptionalValue("quarkus.application.version", String.class)
        .orElse("unknown");
  }

  private static String tenantsFileSha256() throws java.io.IOException {
    var file = ConfigProvider.getConfig().getOptionalValue("kdr.tenants-file", String.class);
    return file.isPresent()
        ? DrillReports.sha256(Files.readAllBytes(Path.of(file.get())))
        : "unknown";
  }

  /**
   * A drill's end: its report's hash into the finished event's facts (and so the audit log), its
   * outcome to the webhook when one is configured ({@link DrillWebhook}), and its gauges ({@code
   * gauge} gives one by name and description): the last success's time (epoch seconds), the data at
   * risk (records) and the RTO estimate (seconds) it measured, NaN where UNKNOWN.
   */
  static void ended(
      WorkflowRun run,
      WorkflowRun.State outcome,
      Instant at,
      Map<String, Object> facts,
      java.util.function.BiFunction<
              String, String, java.util.concurrent.atomic.AtomicReference<Double>>
          gauge) {
    Map<String, Object> f = run.facts();
    for (String k : List.of("drillReport", "drillReportSha256", "drillReportSequence")) {
      if (f.containsKey(k)) {
        facts.put(k, f.get(k));
      }
    }
    if (outcome == WorkflowRun.State.SUCCEEDED) {
      gauge
          .apply(
              "kdr.drill.last.success.timestamp.seconds",
              "When the tenant's last drill of this kind passed, epoch seconds")
          .set(at.toEpochMilli() / 1000.0);
    }
    gauge
        .apply(
            "kdr.drill.last.passed",
            "Whether the tenant's last drill of this kind passed (1) or not (0)")
        .set(outcome == WorkflowRun.State.SUCCEEDED ? 1.0 : 0.0);
    Object risk = f.getOrDefault("drillRpoAchievedRecords", f.get("drillDataAtRiskRecords"));
    gauge
        .apply(
            "kdr.drill.rpo.records",
            "Records at risk the tenant's last drill measured, or lost in a switchover drill"
                + " (NaN: UNKNOWN)")
        .set(risk == null ? Double.NaN : ((Number) risk).doubleValue());
    Object rto = f.get("drillRtoEstimate");
    Object millis =
        f.containsKey("drillRtoAchievedMillis")
            ? f.get("drillRtoAchievedMillis")
            : rto instanceof Map<?, ?> m ? m.get("millis") : null;
    gauge
        .apply(
            "kdr.drill.rto.seconds",
            "RTO estimate of the tenant's last drill, or achieved in a switchover drill (NaN:"
                + " UNKNOWN)")
        .set(millis instanceof Number n ? n.doubleValue() / 1000.0 : Double.NaN);
    try {
      Object failed = f.get("drillFailed");
      DrillWebhook.configured()
          .ifPresent(
              hook ->
                  hook.post(
                      DrillWebhook.body(
                          run, outcome, facts, failed == null ? null : failed.toString())));
    } catch (RuntimeException e) {
      org.jboss.logging.Logger.getLogger(DrillReport.class)
          .warnf("the drill webhook of %s was not posted: %s", run.id(), e.getMessage());
    }
  }
}
