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

  /** The log's name in the store. */
  static final String LOG = "audit";

  private final dev.kafkadr.controller.store.StateStore store;
  private final java.nio.file.Path archive;
  private Journal file;

  /**
   * The audit log in {@code store}, with the segments rotated out of it into {@code archive}
   * ({@link JournalArchive#rotateAudit}).
   */
  AuditLog(dev.kafkadr.controller.store.StateStore store, java.nio.file.Path archive) {
    this.store = store;
    this.archive = archive;
    this.file = new Journal(store, LOG);
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
    refused(actor, action, tenant, why, Map.of());
  }

  /** A refusal, with more of what it was refused on ({@code details}, e.g. the client address). */
  void refused(
      String actor, String action, String tenant, String why, Map<String, Object> details) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("actor", actor);
    facts.put("action", action);
    facts.put("tenant", tenant);
    facts.put("state", "REFUSED");
    facts.put("error", why);
    facts.putAll(details);
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
  private synchronized void append(Journal.Event event) {
    try {
      try {
        file.append(event);
      } catch (dev.kafkadr.controller.store.StateStore.StaleWrite rotated) {
        file = new Journal(store, LOG); // the log was rotated out of the store: count again
        file.append(event);
      }
    } catch (dev.kafkadr.controller.store.StateStore.StaleWrite e) {
      org.jboss.logging.Logger.getLogger(AuditLog.class)
          .warnf(
              "audit entry %s %s not written: %s", event.detail(), event.facts(), e.getMessage());
    }
  }

  /** Every entry, oldest first: the rotated segments, then the log in the store. */
  List<Map<String, Object>> read() {
    List<Map<String, Object>> out = new ArrayList<>();
    List<Journal.Event> events = new ArrayList<>();
    for (String line : JournalArchive.auditSegments(archive)) {
      try {
        events.add(Journal.JSON.readValue(line, Journal.Event.class));
      } catch (java.io.IOException e) {
        // not an event: skipped, as in the store
      }
    }
    events.addAll(file.read());
    for (Journal.Event e : events) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("at", Instant.ofEpochMilli(e.at()).toString());
      entry.putAll(e.facts());
      out.add(entry);
    }
    return out;
  }
}
