package dev.kafkadr.controller.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The append-only audit log: who asked for what, when, for which tenant, the data at risk measured,
 * the DNS change made, and the outcome. One JSON entry each, in the log {@code audit} of the state
 * store (the file {@code audit.jsonl} on the local store); readable through {@code GET /api/audit}.
 */
final class AuditLog {

  private static final List<String> FACTS =
      List.of(
          "lagRecordsAtStart",
          "lagSecondsAtStart",
          "dataAtRisk",
          "dnsChange",
          "epoch",
          "rtoMillis",
          "recordsLost",
          "recordsLostAtLeast",
          "lossLowerBound",
          "writtenSinceEstimate",
          "drillReport",
          "drillReportSha256",
          "drillReportSequence",
          "outcome",
          "trigger");

  private final Journal file;

  AuditLog(dev.kafkadr.controller.store.StateStore store) {
    this.file = new Journal(store, "audit");
  }

  /** Records {@code action} by {@code actor} on the workflow as it is now. */
  void record(String actor, String action, WorkflowRun.View run) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("actor", actor);
    facts.put("action", action);
    facts.put("tenant", run.tenant());
    facts.put("workflow", run.id());
    facts.put("from", run.from());
    facts.put("to", run.to());
    facts.put("state", run.state().name());
    FACTS.forEach(
        k -> {
          if (run.facts().containsKey(k)) {
            facts.put(k, run.facts().get(k));
          }
        });
    if (run.error() != null) {
      facts.put("error", run.error());
    }
    append(new Journal.Event("audit", null, Instant.now().toEpochMilli(), action, facts));
  }

  /** A refused or rejected request, which has no workflow. */
  void refused(String actor, String action, String tenant, String why) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("actor", actor);
    facts.put("action", action);
    facts.put("tenant", tenant);
    facts.put("state", "REFUSED");
    facts.put("error", why);
    append(new Journal.Event("audit", null, Instant.now().toEpochMilli(), action, facts));
  }

  /** A decision that started no workflow, with what it was made on. */
  void noted(String actor, String action, String tenant, Map<String, Object> details) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("actor", actor);
    facts.put("action", action);
    if (tenant != null) {
      facts.put("tenant", tenant);
    }
    facts.putAll(details);
    append(new Journal.Event("audit", null, Instant.now().toEpochMilli(), action, facts));
  }

  /** A reconcile and what it found (and published again). */
  void reconciled(String actor, String action, Map<String, Object> report) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("actor", actor);
    facts.put("action", action);
    facts.putAll(report);
    append(new Journal.Event("audit", null, Instant.now().toEpochMilli(), action, facts));
  }

  /**
   * Appends an entry; a replica that does not lead (on the etcd store) cannot write the shared log,
   * and says so in its own log instead.
   */
  private void append(Journal.Event event) {
    try {
      file.append(event);
    } catch (dev.kafkadr.controller.store.StateStore.StaleWrite e) {
      org.jboss.logging.Logger.getLogger(AuditLog.class)
          .warnf(
              "audit entry %s %s not written: %s", event.detail(), event.facts(), e.getMessage());
    }
  }

  /** Every entry, oldest first. */
  List<Map<String, Object>> read() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Journal.Event e : file.read()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("at", Instant.ofEpochMilli(e.at()).toString());
      entry.putAll(e.facts());
      out.add(entry);
    }
    return out;
  }
}
