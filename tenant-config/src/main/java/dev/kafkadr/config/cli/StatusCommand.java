package dev.kafkadr.config.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdr status}: every tenant's lag, data at risk and RPO status, from the failover
 * controller's API, as a table or as JSON.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Every tenant's lag, data at risk and RPO status, from the failover controller.")
final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ControllerOptions controller;

  @Option(names = "--json", description = "Print the controller's answer as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    URI url = controller.uri("/api/tenants");
    HttpResponse<String> response;
    try {
      response = controller.send("GET", "/api/tenants", null);
    } catch (IOException e) {
      spec.commandLine()
          .getErr()
          .println("kdr: the controller at " + url + " cannot be reached: " + e);
      return 1;
    }
    if (response.statusCode() != 200) {
      spec.commandLine()
          .getErr()
          .println(
              "kdr: the controller at " + url + " answered " + ControllerOptions.refusal(response));
      return 1;
    }
    ObjectMapper mapper = new ObjectMapper();
    JsonNode tenants = mapper.readTree(response.body());
    if (json) {
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(tenants));
    } else {
      out.print(table(tenants));
      JsonNode health = null;
      try {
        health = mapper.readTree(controller.send("GET", "/q/health/ready", null).body());
      } catch (IOException e) {
        // the line says so
      }
      out.println(controllerLine(health, tenants));
    }
    out.flush();
    return 0;
  }

  /**
   * Which controller replica answered, whether it leads and since when, the store and who leads it,
   * and which replica measured the figures ({@code scannedBy}): from {@code /q/health/ready}'s
   * {@code controller-store} check, or "unknown" without it.
   */
  static String controllerLine(JsonNode health, JsonNode tenants) {
    JsonNode store = null;
    if (health != null) {
      for (JsonNode check : health.path("checks")) {
        if ("controller-store".equals(check.path("name").asText())) {
          store = check.path("data");
        }
      }
    }
    String scannedBy = tenants.path(0).path("scannedBy").asText("");
    if (store == null) {
      return "controller: which replica answered is unknown (no controller-store health check)";
    }
    return String.format(
        Locale.ROOT,
        "controller: replica %s %s since %s; store %s, leader %s%s",
        store.path("replica").asText("?"),
        store.path("leads").asBoolean() ? "leads" : "follows",
        store.path("since").asText("?"),
        store.path("store").asText("?"),
        store.path("storeAnswered").asBoolean(true)
            ? store.path("leader").asText("?")
            : "unknown (the store does not answer)",
        scannedBy.isEmpty() ? "" : "; figures measured by " + scannedBy);
  }

  /** One row per tenant and flow, columns aligned. */
  static String table(JsonNode tenants) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "TENANT", "FLOW", "STATUS", "LAG", "AT RISK", "RPO", "REPLICATION", "HEARTBEAT", "GAPS"
        });
    for (JsonNode t : tenants) {
      for (JsonNode f : t.path("flows")) {
        JsonNode health = f.path("health");
        double heartbeat = health.path("heartbeatAgeSeconds").asDouble(-1);
        rows.add(
            new String[] {
              t.path("tenant").asText(),
              f.path("source").asText() + " -> " + f.path("target").asText(),
              f.path("status").asText(),
              f.path("lagRecords").asLong() < 0
                  ? "unknown"
                  : Long.toString(f.path("lagRecords").asLong()),
              seconds(f.path("lagSeconds").asDouble()),
              seconds(t.path("rpoSeconds").asDouble()),
              health.path("replication").asText("?"),
              heartbeat < 0 ? "-" : seconds(heartbeat),
              Integer.toString(f.path("gaps").size())
            });
      }
    }
    int[] widths = new int[rows.get(0).length];
    rows.forEach(
        r -> {
          for (int i = 0; i < r.length; i++) {
            widths[i] = Math.max(widths[i], r[i].length());
          }
        });
    StringBuilder out = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(String.format(Locale.ROOT, "%-" + (widths[i] + 2) + "s", r[i]));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    for (JsonNode t : tenants) {
      for (JsonNode f : t.path("flows")) {
        for (JsonNode r : f.path("health").path("refused")) {
          out.append(
              String.format(
                  Locale.ROOT,
                  "%s %s -> %s cannot copy %s-%d offset %d: %,d bytes, larger than %s %,d; %s%n",
                  t.path("tenant").asText(),
                  f.path("source").asText(),
                  f.path("target").asText(),
                  r.path("topic").asText(),
                  r.path("partition").asInt(),
                  r.path("offset").asLong(),
                  r.path("sizeBytes").asLong(),
                  r.path("limit").asText(),
                  r.path("limitBytes").asLong(),
                  r.path("remedy").asText()));
        }
      }
    }
    return out.toString();
  }

  private static String seconds(double s) {
    return s < 0 ? "unknown" : String.format(Locale.ROOT, "%.1fs", s);
  }
}
