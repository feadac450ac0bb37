package dev.kafkadr.config.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdr switchover|failover|failback --tenant T}: shows the plan (a dry run on the controller,
 * with the measured data at risk), asks for confirmation unless {@code --yes}, starts the workflow
 * and follows it step by step, with a progress bar while it drains.
 *
 * <p>Exit codes ({@link ControllerOptions#refused} for the controller's refusals): 0 done; 1 the
 * controller cannot be reached or refused the user; 2 bad request (unknown tenant or cluster); 3
 * the workflow (or its plan) failed; 4 not confirmed; 5 another workflow holds the tenant.
 */
abstract class WorkflowCommand implements Callable<Integer> {

  static final int FAILED = 3;
  static final int ABORTED = 4;
  static final int REFUSED = 5;
  private static final Pattern COPIED = Pattern.compile("(\\d+)/(\\d+) records copied.*");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin ControllerOptions controller;

  @Option(names = "--tenant", required = true, description = "The tenant to move.")
  String tenant;

  @Option(names = "--to", description = "The cluster to move to (default: its only other one).")
  String to;

  @Option(names = "--dry-run", description = "Show the plan and the data at risk; change nothing.")
  boolean dryRun;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Option(
      names = "--hold-on-failure",
      description =
          "If a step fails before the switch point, leave everything as it is (fences included)"
              + " instead of rolling back.")
  boolean hold;

  @Option(
      names = "--poll-ms",
      defaultValue = "500",
      description = "How often progress is read, in ms. Default: ${DEFAULT-VALUE}.")
  long pollMillis;

  /** The workflow's kind as the API names it. */
  abstract String kind();

  /** The line printed when the workflow succeeded: its RPO and RTO. */
  String succeeded(JsonNode run) {
    JsonNode facts = run.path("facts");
    return String.format(
        Locale.ROOT,
        "%s of %s done: RPO %s; RTO %d ms (trigger -> clients handed %s);"
            + " every step done after %d ms",
        kind(),
        tenant,
        rpo(facts),
        facts.path("trafficSwitchedMillis").asLong(),
        run.path("to").asText(),
        facts.path("rtoMillis").asLong());
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    HttpResponse<String> planned = post(true);
    if (planned.statusCode() != 200) {
      return ControllerOptions.refused(err, planned);
    }
    JsonNode plan = JSON.readTree(planned.body());
    out.printf(
        "%s of %s: %s -> %s%n",
        kind(), tenant, plan.path("from").asText(), plan.path("to").asText());
    for (JsonNode step : plan.path("steps")) {
      if (!"created".equals(step.path("name").asText())) {
        out.printf("  %-20s %s%n", step.path("name").asText(), step.path("detail").asText(""));
      }
    }
    out.flush();
    if ("FAILED".equals(plan.path("state").asText())) {
      err.println("kdr: the plan cannot run: " + plan.path("error").asText());
      return FAILED;
    }
    if (dryRun) {
      out.println("dry run: nothing was changed.");
      return 0;
    }
    if (!yes && disruptive() && !confirmed(out)) {
      err.println("kdr: not confirmed; nothing was changed.");
      return ABORTED;
    }
    HttpResponse<String> started = post(false);
    if (started.statusCode() != 202) {
      return ControllerOptions.refused(err, started);
    }
    String id = JSON.readTree(started.body()).path("id").asText();
    out.println("started " + id);
    out.flush();
    return follow(id, out, err);
  }

  /** More fields of the request body, for a kind that takes them. */
  Map<String, Object> extra() {
    return Map.of();
  }

  /** Whether the workflow changes what clients see, so that it is confirmed first. */
  boolean disruptive() {
    return true;
  }

  private HttpResponse<String> post(boolean plan) throws IOException, InterruptedException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", kind());
    if (to != null) {
      body.put("to", to);
    }
    body.put("dryRun", plan);
    body.put("onFailure", hold ? "hold" : "rollback");
    body.putAll(extra());
    return controller.send(
        "POST", "/api/tenants/" + tenant + "/workflows", JSON.writeValueAsString(body));
  }

  private boolean confirmed(PrintWriter out) throws IOException {
    out.printf("%s tenant %s now? [y/N] ", kind(), tenant);
    out.flush();
    String answer =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
  }

  /** Prints each step as it ends (and the drain's progress) until the workflow ends. */
  private int follow(String id, PrintWriter out, PrintWriter err) throws Exception {
    Set<String> printed = new HashSet<>();
    String lastProgress = "";
    while (true) {
      HttpResponse<String> r = controller.send("GET", "/api/workflows/" + id, null);
      if (r.statusCode() != 200) {
        return ControllerOptions.refused(err, r);
      }
      JsonNode run = JSON.readTree(r.body());
      for (JsonNode step : run.path("steps")) {
        String name = step.path("name").asText();
        String state = step.path("state").asText();
        if ("COMPENSATED".equals(state) && printed.add(name + " undone")) {
          out.printf("  <<  %-20s %s%n", name, step.path("detail").asText(""));
        } else if (("DONE".equals(state) || "FAILED".equals(state)) && printed.add(name)) {
          if (!lastProgress.isEmpty()) {
            out.println();
            lastProgress = "";
          }
          out.printf(
              "  %s %-20s %6d ms  %s%n",
              "DONE".equals(state) ? "ok " : "ERR",
              name,
              step.path("millis").asLong(),
              step.path("detail").asText(""));
        } else if ("RUNNING".equals(state) && step.hasNonNull("progress")) {
          String line = "  .. " + name + " " + bar(step.path("progress").asText());
          if (!line.equals(lastProgress)) {
            out.print("\r" + line);
            lastProgress = line;
          }
        }
      }
      out.flush();
      String state = run.path("state").asText();
      if (!"RUNNING".equals(state) && !"ROLLING_BACK".equals(state)) {
        if ("SUCCEEDED".equals(state)) {
          out.println(succeeded(run));
          return 0;
        }
        err.println(
            "kdr: "
                + kind()
                + " of "
                + tenant
                + ("ROLLED_BACK".equals(state) ? " failed and was rolled back: " : " failed: ")
                + run.path("error").asText());
        return FAILED;
      }
      Thread.sleep(pollMillis);
    }
  }

  /**
   * The RPO achieved: records lost as measured after the drain (planned), or for a failover the
   * lower bound, the data at risk at the last scan and the estimate of what was written after it.
   */
  static String rpo(JsonNode facts) {
    if (facts.has("recordsLostAtLeast")) {
      return String.format(
          Locale.ROOT,
          "at least %d records lost (not copied by the last scan at %s, which saw %d at risk)%s;"
              + " the exact count: kdr reconcile, once the old cluster is back",
          facts.path("recordsLostAtLeast").asLong(),
          facts.path("measuredAt").asText("?"),
          facts.path("dataAtRisk").asLong(),
          facts.has("writtenSinceEstimate")
              ? ", plus an estimated "
                  + facts.path("writtenSinceEstimate").asLong()
                  + " written after it"
              : "");
    }
    return facts.path("recordsLost").asLong(-1) < 0
        ? "records lost not measured"
        : facts.path("recordsLost").asLong() + " records lost (measured after the drain)";
  }

  /** A progress bar for "a/b records copied", the text itself otherwise. */
  static String bar(String progress) {
    Matcher m = COPIED.matcher(progress);
    if (!m.matches() || Long.parseLong(m.group(2)) == 0) {
      return progress;
    }
    double done = Math.min(1, Long.parseLong(m.group(1)) / (double) Long.parseLong(m.group(2)));
    int filled = (int) Math.round(done * 30);
    return "[" + "#".repeat(filled) + "-".repeat(30 - filled) + "] " + progress;
  }

  /** {@code kdr switchover}. */
  @Command(
      name = "switchover",
      mixinStandardHelpOptions = true,
      description =
          "Planned switchover of a tenant: fence, drain, translate offsets exactly, switch.")
  static final class Switchover extends WorkflowCommand {
    @Override
    String kind() {
      return "switchover";
    }
  }

  /** {@code kdr failback}. */
  @Command(
      name = "failback",
      mixinStandardHelpOptions = true,
      description = "Bring a tenant back to its home cluster, the way a switchover does.")
  static final class Failback extends WorkflowCommand {
    @Override
    String kind() {
      return "failback";
    }
  }

  /** {@code kdr failover}. */
  @Command(
      name = "failover",
      mixinStandardHelpOptions = true,
      description =
          "Unplanned failover of a tenant whose cluster is down: no drain, data at risk reported.")
  static final class Failover extends WorkflowCommand {
    @Override
    String kind() {
      return "failover";
    }
  }
}
