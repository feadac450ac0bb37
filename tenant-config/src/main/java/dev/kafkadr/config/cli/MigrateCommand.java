package dev.kafkadr.config.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kdr migrate}: moving a tenant to another cluster (on-prem Kafka to Amazon MSK). */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = "Move a tenant to another cluster (on-prem Kafka to Amazon MSK).",
    subcommands = {
      MigrateCommand.Plan.class,
      MigrateCommand.Status.class,
      MigrateCommand.Verify.class
    })
final class MigrateCommand {

  private MigrateCommand() {}

  /**
   * The controller's path of {@code what} of the tenant's migration, to {@code target} if given.
   */
  static String path(String tenant, String what, String target) {
    return "/api/tenants/"
        + URLEncoder.encode(tenant, StandardCharsets.UTF_8)
        + "/migration/"
        + what
        + (target == null ? "" : "?target=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
  }

  /**
   * {@code kdr migrate plan}: the inventory of what would move and what stands in the way, as
   * tables or as the controller's JSON; exit 0 with no blocker, 4 with blockers, 1 or 2 when the
   * controller refused or could not be reached.
   */
  @Command(
      name = "plan",
      mixinStandardHelpOptions = true,
      description =
          "What a migration of the tenant would move (topics, groups, producers, ACLs, quotas)"
              + " and what blocks it (MSK limits, naming); nothing is changed. Exit 4 when"
              + " something blocks it.")
  static final class Plan implements Callable<Integer> {

    /** Exit code when the plan has blockers. */
    static final int BLOCKED = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;

    @Mixin ControllerOptions controller;

    @Option(names = "--tenant", required = true, description = "The tenant to move.")
    String tenant;

    @Option(
        names = "--target",
        description = "The target cluster alias; needed when more than one flow carries it.")
    String target;

    @Option(names = "--json", description = "Print the controller's JSON instead of tables.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String path = path(tenant, "plan", target);
      HttpResponse<String> r;
      try {
        r = controller.send("GET", path, null);
      } catch (IOException e) {
        err.println("kdr: the controller at " + controller.uri(path) + " cannot be reached: " + e);
        return 1;
      }
      if (r.statusCode() != 200) {
        err.println("kdr: the controller answered " + ControllerOptions.refusal(r));
        return r.statusCode() == 400 || r.statusCode() == 404 ? 2 : 1;
      }
      JsonNode plan = JSON.readTree(r.body());
      if (json) {
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(plan));
      } else {
        print(plan, out);
      }
      out.flush();
      return plan.path("blockers").isEmpty() ? 0 : BLOCKED;
    }

    /** The plan as tables, for a person. */
    static void print(JsonNode plan, PrintWriter out) {
      JsonNode t = plan.path("totals");
      out.printf(
          Locale.ROOT,
          "Migration plan of %s: %s -> %s, measured %s%n",
          plan.path("tenant").asText(),
          plan.path("source").asText(),
          plan.path("target").asText(),
          plan.path("measuredAt").asText());
      out.printf(
          Locale.ROOT,
          "%d topics, %d partitions, %,d records, %s; %d groups; %d producers%n%n",
          t.path("topics").asInt(),
          t.path("partitions").asInt(),
          t.path("records").asLong(),
          bytes(t.path("bytes").asLong()),
          t.path("groups").asInt(),
          t.path("producers").asInt());
      out.printf(
          "%-32s %5s %3s %12s %10s %-9s %-8s %s%n",
          "TOPIC", "PARTS", "RF", "RECORDS", "SIZE", "COMPACTED", "ON-TARGET", "OWN CONFIGS");
      for (JsonNode topic : plan.path("topics")) {
        out.printf(
            Locale.ROOT,
            "%-32s %5d %3d %,12d %10s %-9s %-8s %s%n",
            topic.path("name").asText(),
            topic.path("partitions").asInt(),
            topic.path("replicationFactor").asInt(),
            topic.path("records").asLong(),
            bytes(topic.path("bytes").asLong()),
            topic.path("compacted").asBoolean() ? "yes" : "no",
            topic.path("existsOnTarget").asBoolean() ? "yes" : "no",
            topic.path("configs"));
      }
      out.printf("%n%-32s %-12s %10s %s%n", "GROUP", "STATE", "LAG", "MEMBERS (client id @ host)");
      for (JsonNode group : plan.path("groups")) {
        StringBuilder members = new StringBuilder();
        for (JsonNode m : group.path("members")) {
          members
              .append(members.length() == 0 ? "" : ", ")
              .append(m.path("clientId").asText())
              .append(" @ ")
              .append(m.path("host").asText());
        }
        out.printf(
            Locale.ROOT,
            "%-32s %-12s %10s %s%n",
            group.path("group").asText(),
            group.path("state").asText(),
            count(group.path("lag").asLong()),
            members.length() == 0 ? "(none)" : members);
      }
      printCapacity(plan, out);
      list(out, "BLOCKERS", plan.path("blockers"));
      list(out, "WARNINGS", plan.path("warnings"));
    }

    private static void printCapacity(JsonNode plan, PrintWriter out) {
      JsonNode c = plan.path("capacity");
      out.printf(
          Locale.ROOT,
          "%nTarget: %d brokers%s, message.max.bytes %s, %,d partition replicas now, %,d added"
              + " by the copy%s%n",
          c.path("brokers").asInt(),
          c.path("brokerType").asText().isEmpty() ? "" : " (" + c.path("brokerType").asText() + ")",
          count(c.path("messageMaxBytes").asLong()),
          c.path("replicasNow").asLong(),
          c.path("replicasAdded").asLong(),
          c.path("recommendedPerBroker").asInt() == 0
              ? ""
              : "; AWS recommends at most "
                  + c.path("recommendedPerBroker").asInt()
                  + " per broker, updates need at most "
                  + c.path("updatablePerBroker").asInt());
      out.printf(
          "Producers' principals (from the tenants file): %s; producers the brokers know: %d%n",
          plan.path("producerPrincipals"), plan.path("producers").size());
      out.printf(
          "ACLs of the tenant's principals: %d; quotas: %s%n",
          plan.path("acls").size(), plan.path("quotas"));
    }

    private static void list(PrintWriter out, String title, JsonNode items) {
      out.printf("%n%s: %s%n", title, items.isEmpty() ? "none" : "");
      for (JsonNode item : items) {
        out.println("  - " + item.asText());
      }
    }

    /** {@code n} with thousands separators; "unknown" for the plan's -1. */
    private static String count(long n) {
      return n < 0 ? "unknown" : String.format(Locale.ROOT, "%,d", n);
    }

    private static String bytes(long n) {
      if (n < 0) {
        return "unknown";
      }
      if (n < 1024) {
        return n + " B";
      }
      double v = n;
      String[] units = {"KiB", "MiB", "GiB", "TiB"};
      int i = -1;
      while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
      }
      return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
  }

  /**
   * {@code kdr migrate status}: how far the copy of the tenant's topics has come, per topic and in
   * all, with the rate and the time left; with {@code --follow}, a line per read until the copy has
   * caught up (every partition measured, nothing remaining: exit 0) or {@code --timeout-seconds}
   * have passed (exit 1); the controller's 503 (no fresh scan yet) is read again meanwhile.
   */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "How far the copy of the tenant's topics has come: per topic, rate, time left."
              + " With --follow, until it has caught up.")
  static final class Status implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BAR = 20;

    @Spec CommandSpec spec;

    @Mixin ControllerOptions controller;

    @Option(names = "--tenant", required = true, description = "The tenant being moved.")
    String tenant;

    @Option(
        names = "--target",
        description = "The target cluster alias, when several flows carry it.")
    String target;

    @Option(names = "--follow", description = "Read again until the copy has caught up.")
    boolean follow;

    @Option(
        names = "--interval-seconds",
        defaultValue = "2",
        description = "With --follow, seconds between reads (default ${DEFAULT-VALUE}).")
    int intervalSeconds;

    @Option(
        names = "--timeout-seconds",
        defaultValue = "86400",
        description =
            "With --follow, give up (exit 1) if the copy has not caught up after this many"
                + " seconds (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--json", description = "Print the controller's JSON, one line per read.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (intervalSeconds < 1 || timeoutSeconds < 1) {
        err.println("kdr: --interval-seconds and --timeout-seconds must be at least 1");
        return 2;
      }
      String path = path(tenant, "progress", target);
      long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
      while (true) {
        if (follow && System.nanoTime() > deadline) {
          err.println(
              "kdr: the copy of " + tenant + " has not caught up within " + timeoutSeconds + " s");
          return 1;
        }
        HttpResponse<String> r;
        try {
          r = controller.send("GET", path, null);
        } catch (IOException e) {
          err.println(
              "kdr: the controller at " + controller.uri(path) + " cannot be reached: " + e);
          return 1;
        }
        if (r.statusCode() == 503 && follow) {
          err.println("kdr: " + ControllerOptions.refusal(r) + "; reading again");
        } else if (r.statusCode() != 200) {
          err.println("kdr: the controller answered " + ControllerOptions.refusal(r));
          return r.statusCode() == 400 || r.statusCode() == 404 ? 2 : 1;
        } else {
          JsonNode progress = JSON.readTree(r.body());
          if (json) {
            out.println(JSON.writeValueAsString(progress));
          } else {
            print(progress, out);
          }
          out.flush();
          // Caught up: every partition measured and nothing remaining (secondsLeft 0), never
          // 0 of 0 from a scan that measured nothing.
          if (!follow || progress.path("secondsLeft").asDouble() == 0) {
            return 0;
          }
        }
        Thread.sleep(intervalSeconds * 1000L);
      }
    }

    /** One read as lines: the total with rate and time left, then each topic with a bar. */
    static void print(JsonNode p, PrintWriter out) {
      JsonNode t = p.path("total");
      double rate = p.path("offsetsPerSecond").asDouble();
      double left = p.path("secondsLeft").asDouble();
      out.printf(
          Locale.ROOT,
          "%s: %s -> %s, measured %s: %s %5.1f%% (%,d of %,d offsets), %s%n",
          p.path("tenant").asText(),
          p.path("source").asText(),
          p.path("target").asText(),
          p.path("measuredAt").asText(),
          bar(t.path("percent").asDouble()),
          t.path("percent").asDouble(),
          t.path("copied").asLong(),
          t.path("offsets").asLong(),
          rate < 0
              ? "rate unknown (" + p.path("unknownReason").asText() + ")"
              : String.format(
                  Locale.ROOT,
                  "%,.0f offsets/s, %s",
                  rate,
                  left < 0
                      ? "time left unknown (" + p.path("unknownReason").asText() + ")"
                      : String.format(Locale.ROOT, "%.0f s left", left)));
      for (JsonNode topic : p.path("topics")) {
        out.printf(
            Locale.ROOT,
            "  %-32s %s %5.1f%% %,d of %,d%s%n",
            topic.path("topic").asText(),
            bar(topic.path("percent").asDouble()),
            topic.path("percent").asDouble(),
            topic.path("copied").asLong(),
            topic.path("offsets").asLong(),
            topic.path("unknownPartitions").asInt() == 0
                ? ""
                : " (" + topic.path("unknownPartitions").asInt() + " partitions unknown)");
      }
    }

    private static String bar(double percent) {
      int done = (int) Math.floor(Math.max(0, Math.min(100, percent)) * BAR / 100);
      return "[" + "#".repeat(done) + "-".repeat(BAR - done) + "]";
    }
  }

  /**
   * {@code kdr migrate verify}: a migration's verify workflow, followed step by step; exit 0 when
   * every committed record on the source up to the cut matched its copy, 3 naming each partition
   * and first offset that differ or are not copied yet (a switchover of the tenant to that cluster
   * is then refused until a verify passes), the other codes as {@link WorkflowCommand}'s.
   */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Compare every committed record of the tenant's topics, from each log start to now, with"
              + " its copy on the target (timestamp, key, value, headers). Changes nothing; a"
              + " failed verify holds back the tenant's switchover (the cut-over).")
  static final class Verify extends WorkflowCommand {
    @Override
    String kind() {
      return "migration-verify";
    }

    @Override
    boolean disruptive() {
      return false;
    }

    @Override
    String succeeded(JsonNode run) {
      JsonNode facts = run.path("facts");
      return String.format(
          Locale.ROOT,
          "migration-verify of %s passed: the copy on %s holds every committed record of %d"
              + " offsets up to the cut (%d not copied, %d differ); every step done after %d ms",
          tenant,
          run.path("to").asText(),
          facts.path("migrationOffsetsVerified").asLong(),
          facts.path("migrationNotCopied").asLong(),
          facts.path("migrationDiffer").asLong(),
          run.path("steps").findValues("millis").stream().mapToLong(JsonNode::asLong).sum());
    }
  }
}
