package dev.kafkadr.config.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdr reconcile --tenant T}: after an unplanned failover, once the old cluster is back, the
 * records it holds that the new cluster lacks (per partition, with offsets); then, unless {@code
 * --dry-run} and once confirmed, those records published again on the new cluster and the flow from
 * the new cluster back to the old one started from the failover's switch point.
 *
 * <p>Exit codes: 0 done; 1 controller unreachable or user refused; 2 no failover of the tenant or
 * the old cluster cannot be read; 4 not confirmed; 5 already published again.
 */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description =
        "After a failover: the records the returned old cluster holds that the new one lacks;"
            + " publish them again and start the flow back.")
final class ReconcileCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin ControllerOptions controller;

  @Option(names = "--tenant", required = true, description = "The tenant failed over.")
  String tenant;

  @Option(names = "--dry-run", description = "Only report the missing records.")
  boolean dryRun;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    HttpResponse<String> report = send(false);
    if (report.statusCode() != 200) {
      return ControllerOptions.refused(err, report);
    }
    JsonNode r = JSON.readTree(report.body());
    long missing = r.path("missingOnNewCluster").asLong();
    out.printf(
        "reconcile of %s after failover %s: %s holds %d records %s lacks: %s%n",
        tenant,
        r.path("failover").asText(),
        r.path("oldCluster").asText(),
        missing,
        r.path("newCluster").asText(),
        r.path("missingRanges"));
    out.printf(
        "records the tenant's groups will read a second time on %s: %s%n",
        r.path("newCluster").asText(), r.path("readAgainByGroup"));
    if (r.has("readAgainAtMostMoreByGroup")) {
      out.printf(
          "and at most these more, where copies carried no provenance to place a group exactly: %s%n",
          r.path("readAgainAtMostMoreByGroup"));
    }
    out.flush();
    if (dryRun) {
      return 0;
    }
    if (!yes) {
      out.printf(
          "publish them again on %s and start the flow back to %s now? [y/N] ",
          r.path("newCluster").asText(), r.path("oldCluster").asText());
      out.flush();
      String answer =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
        err.println("kdr: not confirmed; nothing was published.");
        return WorkflowCommand.ABORTED;
      }
    }
    HttpResponse<String> done = send(true);
    if (done.statusCode() != 200) {
      return ControllerOptions.refused(err, done);
    }
    JsonNode result = JSON.readTree(done.body());
    out.printf(
        "%d records published again on %s%nflow back: %s%n",
        result.path("republished").asLong(),
        r.path("newCluster").asText(),
        result.path("reverseFlow").asText());
    return 0;
  }

  private HttpResponse<String> send(boolean republish) throws Exception {
    return controller.send(
        "POST", "/api/tenants/" + tenant + "/reconcile", "{\"republish\": " + republish + "}");
  }
}
