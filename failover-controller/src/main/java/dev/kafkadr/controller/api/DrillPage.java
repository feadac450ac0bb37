package dev.kafkadr.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the drill report's HTML page ({@code templates/drill-report.html}, rendered and escaped by
 * Qute) shows, read from the signed JSON: outcome, RPO and RTO against their targets, each check
 * with what to fix, the completeness of every partition, every group's translated position, the
 * timeline of steps, and links to the JSON, its signature, the public key and the chain check.
 * Every figure is the JSON's.
 */
final class DrillPage {

  private static final Map<String, String> FIXES =
      Map.of(
          "completeness",
          "Records not yet copied: replication is behind or stopped (kdr status). Records that"
              + " differ: something other than replication wrote to the copy, or a topic was"
              + " recreated; do not fail over to it before you know which.",
          "offsets",
          "A group would read records twice after a switchover: a copy holds a source offset"
              + " twice (a re-copy, or a record written to the copy by hand).",
          "numbers",
          "The data at risk is unknown or breaches the RPO now: see runbooks/failover.md before"
              + " any move.",
          "writability",
          "A principal would lose a permission after a switchover: grant it on the other cluster"
              + " (kdr config apply grants the tenants file's access on targets), or remove it"
              + " from the active one if it is not meant to be.",
          "traffic",
          "The registry or the DNS provider would not move the tenant's clients now: see the"
              + " failure (a TSIG key or IAM policy that may not change the zone, a server that"
              + " cannot be reached).",
          "rpoAchieved",
          "Records the old cluster took before its fence are missing or differ on the new one:"
              + " read them on both clusters (runbooks/drills.md, when a drill fails).",
          "rtoAchieved",
          "The switchover took longer than its budget: the timeline shows which step; a drain"
              + " waits for replication, so lag at the start costs time.",
          "switchover",
          "The drill stopped before it completed: the line says where and why; a rollback left"
              + " the tenant home.");

  private DrillPage() {}

  /**
   * The template's data for {@code report}; {@code steps}, the drill's steps with their times from
   * the controller that ran it, or null.
   */
  static Map<String, Object> of(JsonNode report, JsonNode steps) {
    String id = report.path("drill").asText();
    String tenant = report.path("tenant").asText();
    JsonNode checks = report.path("checks");
    JsonNode numbers = checks.path("numbers");
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("drill", id);
    data.put("tenant", tenant);
    data.put("passed", report.path("passed").asBoolean());
    data.put("summary", summary(report));
    data.put(
        "dataAtRisk",
        numbers.has("dataAtRiskRecords")
            ? numbers.path("dataAtRiskRecords").asText()
                + " records ("
                + numbers.path("dataAtRiskSeconds").asText()
                + " s), "
                + numbers.path("rpoStatus").asText()
            : numbers.path("dataAtRisk").asText());
    data.put("rpoSeconds", numbers.path("rpoSeconds").asText());
    data.put(
        "rtoEstimate",
        numbers.path("rtoEstimate").isObject()
            ? numbers.path("rtoEstimate").path("millis").asText() + " ms"
            : numbers.path("rtoEstimate").asText());
    data.put("rtoTargetSeconds", numbers.path("rtoTargetSeconds").asText());
    JsonNode rto = checks.path("rtoAchieved");
    data.put("achieved", !rto.isMissingNode());
    data.put("rpoAchieved", checks.path("rpoAchieved").path("records").asText());
    data.put(
        "rtoAchieved",
        rto.path("millis").asText()
            + " ms (budget "
            + rto.path("budgetSeconds").asText()
            + " s); failback "
            + checks.path("failback").path("rtoMillis").asText()
            + " ms");
    data.put("checks", checks(checks));
    data.put("shareVerified", checks.path("completeness").path("shareVerified").asText());
    data.put("partitions", partitions(checks.path("completeness").path("partitions")));
    data.put("groups", groups(checks.path("offsets").path("groups")));
    List<Map<String, Object>> timeline = new ArrayList<>();
    if (steps != null) {
      steps.forEach(
          s ->
              timeline.add(
                  Map.of(
                      "name", s.path("name").asText(),
                      "state", s.path("state").asText(),
                      "millis", s.path("millis").asLong(),
                      "detail", s.path("detail").asText(""))));
    }
    data.put("steps", timeline);
    data.put(
        "links",
        List.of(
            link("/api/drills/" + id, "the report (JSON, as signed)"),
            link("/api/drills/" + id + "/signature", "its Ed25519 signature"),
            link("/api/drills/public-key", "the public key"),
            link("/api/drills/chain/" + tenant, "the chain check of " + tenant)));
    return data;
  }

  private static List<Map<String, Object>> summary(JsonNode r) {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(Map.of("key", "drill", "value", r.path("drill").asText()));
    out.add(Map.of("key", "report number in the chain", "value", r.path("sequence").asText()));
    out.add(Map.of("key", "started", "value", r.path("startedAt").asText()));
    out.add(Map.of("key", "written", "value", r.path("writtenAt").asText()));
    out.add(
        Map.of(
            "key",
            "clusters",
            "value",
            r.path("activeCluster").asText() + " -> " + r.path("copyCluster").asText()));
    out.add(Map.of("key", "trigger", "value", r.path("trigger").toString()));
    out.add(Map.of("key", "software version", "value", r.path("softwareVersion").asText()));
    out.add(Map.of("key", "tenants file SHA-256", "value", r.path("tenantsFileSha256").asText()));
    out.add(
        Map.of(
            "key",
            "previous report SHA-256",
            "value",
            r.path("previousSha256").isNull()
                ? "none (the first)"
                : r.path("previousSha256").asText()));
    return out;
  }

  private static List<Map<String, Object>> checks(JsonNode checks) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Iterator<String> names = checks.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      JsonNode c = checks.path(name);
      String result =
          c.path("passed").isBoolean()
              ? (c.path("passed").asBoolean() ? "passed" : "failed")
              : "not-run";
      String found =
          c.path("failures").isArray() && !c.path("failures").isEmpty()
              ? String.join("; ", strings(c.path("failures")))
              : c.path("why").asText("");
      out.add(
          Map.of(
              "name",
              name,
              "result",
              result,
              "found",
              found,
              "fix",
              "passed".equals(result) ? "" : FIXES.getOrDefault(name, "")));
    }
    return out;
  }

  private static List<Map<String, Object>> partitions(JsonNode partitions) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = partitions.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode p = e.getValue();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", e.getKey());
      row.put("compared", p.path("compared").asText());
      for (String f :
          List.of(
              "from", "cut", "sourceRecords", "matched", "notYetCopied", "differs", "duplicates")) {
        row.put(f, p.path(f).asLong());
      }
      row.put(
          "firstDiffering",
          p.path("firstDifferingSourceOffset").asLong() < 0
              ? ""
              : p.path("firstDifferingSourceOffset").asLong()
                  + ", "
                  + p.path("firstDifferingCopyOffset").asLong());
      out.add(row);
    }
    return out;
  }

  private static List<Map<String, Object>> groups(JsonNode groups) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> g = groups.fields(); g.hasNext(); ) {
      var group = g.next();
      for (Iterator<Map.Entry<String, JsonNode>> p = group.getValue().fields(); p.hasNext(); ) {
        var part = p.next();
        JsonNode r = part.getValue();
        out.add(
            Map.of(
                "group", group.getKey(),
                "partition", part.getKey(),
                "committed", r.path("committed").asLong(),
                "translated", r.path("translated").asLong(),
                "lands", r.path("lands").asText("")));
      }
    }
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Map<String, Object> link(String href, String text) {
    return Map.of("href", href, "text", text);
  }
}
