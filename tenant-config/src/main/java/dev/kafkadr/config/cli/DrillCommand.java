package dev.kafkadr.config.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkadr.config.drill.DrillReports;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdr drill --tenant T [--kind verify|switchover] [--rto-budget S] [--yes] [--dry-run]}:
 * runs a drill on the controller (a verify drill is non-disruptive: no confirmation asked; a
 * switchover drill moves the tenant and back, confirmed first), follows it step by step and prints
 * its report's outcome; {@code kdr drill verify-chain} checks a tenant's signed report chain, on
 * the controller or offline on a directory of reports; {@code kdr drill export} saves a report with
 * its signature, the public key and the chain check for an auditor.
 *
 * <p>Exit codes: 0 the drill passed (the chain holds); 2 bad usage (an unknown kind or tenant, a
 * switchover drill of a tenant away from home); 3 the drill failed (the chain is broken at the
 * report named); otherwise as {@link WorkflowCommand}.
 */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description = "Run a DR drill of a tenant and keep its signed report.",
    subcommands = {DrillCommand.VerifyChain.class, DrillCommand.Export.class})
final class DrillCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin ControllerOptions controller;

  @Option(names = "--tenant", description = "The tenant to drill.")
  String tenant;

  @Option(
      names = "--kind",
      defaultValue = "verify",
      description =
          "verify: prove from the records that the other cluster could take over now, moving"
              + " no client. switchover: a real switchover under live traffic within an RTO"
              + " budget, then a failback home, with the RPO and RTO achieved measured (asks for"
              + " confirmation unless --yes). Default: ${DEFAULT-VALUE}.")
  String kind;

  @Option(
      names = "--rto-budget",
      description =
          "Switchover drill: seconds from fencing the producers to handing clients the new"
              + " cluster; past it before the switch point the drill rolls back. Default: the"
              + " tenant's RTO.")
  Integer rtoBudgetSeconds;

  @Option(names = "--yes", description = "Switchover drill: do not ask for confirmation.")
  boolean yes;

  @Option(names = "--dry-run", description = "Show the drill's steps; run none.")
  boolean dryRun;

  @Option(names = "--poll-ms", defaultValue = "500", description = "How often progress is read.")
  long pollMillis;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (tenant == null) {
      err.println("kdr: drill needs --tenant");
      return 2;
    }
    if (!"verify".equals(kind) && !"switchover".equals(kind)) {
      err.println("kdr: --kind " + kind + ": a drill is verify or switchover");
      return 2;
    }
    if (rtoBudgetSeconds != null && (!"switchover".equals(kind) || rtoBudgetSeconds < 1)) {
      err.println("kdr: --rto-budget is a whole number of seconds >= 1, for --kind switchover");
      return 2;
    }
    Run run = new Run();
    run.drill = kind;
    run.rtoBudgetSeconds = rtoBudgetSeconds;
    run.yes = yes;
    run.spec = spec;
    run.controller = controller;
    run.tenant = tenant;
    run.dryRun = dryRun;
    run.pollMillis = pollMillis;
    return run.call();
  }

  /** The verify drill as a workflow followed like the others. */
  static final class Run extends WorkflowCommand {
    String drill = "verify";
    Integer rtoBudgetSeconds;

    @Override
    String kind() {
      return "drill-" + drill;
    }

    @Override
    boolean disruptive() {
      return "switchover".equals(drill);
    }

    @Override
    java.util.Map<String, Object> extra() {
      return rtoBudgetSeconds == null
          ? java.util.Map.of()
          : java.util.Map.of("rtoBudgetSeconds", rtoBudgetSeconds);
    }

    @Override
    String succeeded(JsonNode run) {
      JsonNode f = run.path("facts");
      return drill
          + " drill of "
          + tenant
          + " passed: report "
          + f.path("drillReport").asText()
          + " (sha256 "
          + f.path("drillReportSha256").asText()
          + ", number "
          + f.path("drillReportSequence").asLong()
          + " of its chain)";
    }
  }

  /** {@code kdr drill verify-chain}: on the controller, or offline with {@code --dir}. */
  @Command(
      name = "verify-chain",
      mixinStandardHelpOptions = true,
      description =
          "Check a tenant's drill reports: signatures, order, hashes; names the first that fails.")
  static final class VerifyChain implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ControllerOptions controller;

    @Option(names = "--tenant", description = "The tenant whose chain the controller checks.")
    String tenant;

    @Option(
        names = "--dir",
        description = "Offline: a directory of one tenant's reports (NNNNNN-<id>.json and .sig).")
    Path dir;

    @Option(names = "--public-key", description = "Offline: the public key, PEM.")
    Path publicKey;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (dir != null) {
        if (publicKey == null) {
          err.println("kdr: --dir needs --public-key");
          return 2;
        }
        var broken =
            DrillReports.verify(
                dir, DrillReports.publicKey(Files.readString(publicKey)), Optional.empty());
        return report(
            out,
            err,
            DrillReports.reports(dir).size(),
            broken.map(b -> b.report() + ": " + b.why()));
      }
      if (tenant == null) {
        err.println("kdr: verify-chain needs --tenant (on the controller) or --dir (offline)");
        return 2;
      }
      HttpResponse<String> r = controller.send("GET", "/api/drills/chain/" + tenant, null);
      if (r.statusCode() != 200) {
        return ControllerOptions.refused(err, r);
      }
      JsonNode chain = JSON.readTree(r.body());
      chain
          .path("publishedHeads")
          .properties()
          .forEach(
              e ->
                  out.println(
                      "  heads published in the " + e.getKey() + ": " + e.getValue().asText()));
      return report(
          out,
          err,
          chain.path("reports").asInt(),
          chain.path("holds").asBoolean()
              ? Optional.empty()
              : Optional.of(
                  chain.path("firstBroken").asText() + ": " + chain.path("why").asText()));
    }

    private static int report(
        PrintWriter out, PrintWriter err, int reports, Optional<String> broken) {
      if (broken.isPresent()) {
        err.println("kdr: the chain is broken at " + broken.get());
        return 3;
      }
      out.println("the chain of " + reports + " report(s) holds");
      return 0;
    }
  }

  /** {@code kdr drill export --id D --out DIR [--pdf [--chromium PATH]]}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Save a drill's report, its signature, the public key and the chain check for an"
              + " auditor.")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ControllerOptions controller;

    @Option(names = "--id", required = true, description = "The drill's id.")
    String id;

    @Option(names = "--out", required = true, description = "The directory to write into.")
    Path out;

    @Option(
        names = "--pdf",
        description =
            "Also print the report page to <id>.pdf with a headless Chromium (found on the PATH as"
                + " chromium, chromium-browser or google-chrome, or given with --chromium).")
    boolean pdf;

    @Option(names = "--chromium", description = "The Chromium binary for --pdf.")
    Path chromium;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      HttpResponse<String> report = controller.send("GET", "/api/drills/" + id, null);
      if (report.statusCode() != 200) {
        return ControllerOptions.refused(err, report);
      }
      String tenant = JSON.readTree(report.body()).path("tenant").asText();
      Files.createDirectories(out);
      Path file = out.resolve(id + ".json");
      Files.writeString(file, report.body());
      for (String[] part :
          new String[][] {
            {"/api/drills/" + id + "/signature", file.getFileName() + ".sig"},
            {"/api/drills/public-key", "drill-signing.pub"},
            {"/api/drills/chain/" + tenant, "chain-check.json"},
            {"/api/drills/" + id + "/html", id + ".html"}
          }) {
        HttpResponse<String> r = controller.send("GET", part[0], null);
        if (r.statusCode() != 200) {
          return ControllerOptions.refused(err, r);
        }
        Files.writeString(out.resolve(part[1]), r.body());
      }
      if (pdf) {
        Optional<String> failed =
            DrillPdf.print(chromium, out.resolve(id + ".html"), out.resolve(id + ".pdf"));
        if (failed.isPresent()) {
          err.println("kdr: " + failed.get());
          return 1;
        }
      }
      spec.commandLine()
          .getOut()
          .println(
              "exported to "
                  + out
                  + ": the report, its signature, the public key, the chain check and the report"
                  + " page"
                  + (pdf ? " (HTML and PDF)" : ""));
      return 0;
    }
  }
}
