package dev.kafkadr.config.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kdr auto-failover [status|disable|enable]}: where each tenant's automatic failover stands
 * (and why), with every vantage point's newest probes; or the one switch that disables automatic
 * failover for every tenant on every controller replica, and enables it again.
 *
 * <p>Exit codes: 0 done; 1 controller unreachable or user refused; 2 bad usage.
 */
@Command(
    name = "auto-failover",
    mixinStandardHelpOptions = true,
    description =
        "Automatic failover: each tenant's state and the vantage points (status), or disable"
            + " and enable it for every tenant.")
final class AutoFailoverCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/api/failover/automatic";

  @Spec CommandSpec spec;

  @Mixin ControllerOptions controller;

  @Parameters(
      index = "0",
      defaultValue = "status",
      description = "status (the default), disable or enable.")
  String action;

  @Option(names = "--reason", description = "Why, for the audit log (disable and enable).")
  String reason;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    HttpResponse<String> r;
    switch (action) {
      case "status" -> r = controller.send("GET", PATH, null);
      case "disable", "enable" -> {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", "enable".equals(action));
        body.put("reason", reason);
        r = controller.send("PUT", PATH, JSON.writeValueAsString(body));
      }
      default -> {
        err.println("kdr: auto-failover " + action + ": say status, disable or enable");
        return 2;
      }
    }
    if (r.statusCode() != 200) {
      return ControllerOptions.refused(err, r);
    }
    JsonNode s = JSON.readTree(r.body());
    if (s.path("enabled").asBoolean(false)) {
      out.println("automatic failover: enabled");
    } else if (s.has("disabled")) {
      JsonNode d = s.path("disabled");
      out.printf(
          "automatic failover: DISABLED everywhere by %s at %s: %s%n",
          d.path("by").asText(), d.path("at").asText(), d.path("reason").asText());
    } else {
      out.println("automatic failover: unknown (" + s.path("storeProblem").asText() + ")");
    }
    if ("status".equals(action)) {
      status(out, s);
    }
    out.flush();
    return 0;
  }

  private static void status(PrintWriter out, JsonNode s) {
    out.printf(
        "as seen by replica %s (%s)%n",
        s.path("replica").asText(), s.path("leads").asBoolean() ? "leader" : "follower");
    var tenants = s.path("tenants").fields();
    while (tenants.hasNext()) {
      var t = tenants.next();
      out.printf(
          "  %-20s %-9s %s%n",
          t.getKey(), t.getValue().path("state").asText(), t.getValue().path("reason").asText());
    }
    out.println("vantage points:");
    for (JsonNode v : s.path("vantagePoints")) {
      StringBuilder clusters = new StringBuilder();
      v.path("clusters")
          .fields()
          .forEachRemaining(
              c ->
                  clusters
                      .append(' ')
                      .append(c.getKey())
                      .append(c.getValue().path("reachable").asBoolean() ? "=up" : "=DOWN"));
      out.printf(
          "  %-20s region %-12s probed %s:%s%n",
          v.path("replica").asText(),
          v.path("region").isNull() ? "(none)" : v.path("region").asText(),
          java.time.Instant.ofEpochMilli(v.path("at").asLong()),
          clusters);
    }
  }
}
