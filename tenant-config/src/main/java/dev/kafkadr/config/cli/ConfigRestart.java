package dev.kafkadr.config.cli;

import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectRestException;
import dev.kafkadr.config.connect.ConnectorStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kdr config restart}: restarts every running connector of the file's tenants (or of those
 * named) with all of its tasks, so that they read their secrets again. Kafka's {@code
 * FileConfigProvider} has no TTL: a connector resolves {@code ${file:...}} when it starts, so a
 * rotated password or key store reaches replication only through a restart. Connectors of
 * kafka-dr's naming ({@code <tenant>.<source>-to-<target>.source|checkpoint|heartbeat}) are
 * restarted on every Connect cluster the file uses, the way back of a flow that a workflow started
 * included.
 *
 * <p>Each is restarted with Connect's restart endpoint, which makes the connector anew from its
 * stored configuration, and its tasks too (stop and resume would make only new tasks: the
 * connector's own clients would keep the old secret). Connect answers before anything restarts and
 * its status may still show the state from before (RUNNING, or FAILED for a task that failed on the
 * old secret), so the restart is awaited in the status first: a RESTARTING or UNASSIGNED state, or
 * every state RUNNING where something was not before; a restart too fast to show is accepted after
 * {@link #GRACE} of RUNNING only, and said so. A connector that is PAUSED or STOPPED (a workflow
 * stopped a forward flow) is left so, and said so: resuming it would not make it read its secrets,
 * so restart it once it runs.
 */
@Command(
    name = "restart",
    mixinStandardHelpOptions = true,
    description = {
      "Restart the tenants' running connectors and their tasks, so that they read their secrets",
      "again after a rotated password or key store; wait for RUNNING."
    })
final class ConfigRestart extends ConfigCommand.Remote {

  private static final Pattern NAME =
      Pattern.compile(
          "([a-z0-9-]+)\\.[A-Za-z0-9_-]+-to-[A-Za-z0-9_-]+\\.(source|checkpoint|heartbeat)");

  @Option(
      names = "--tenant",
      description = "Only this tenant's connectors (repeatable). Default: every tenant's.")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--timeout",
      defaultValue = "120",
      description = "Seconds to wait for each step of each connector. Default: ${DEFAULT-VALUE}.")
  long timeoutSeconds;

  /** How long a restart may show only RUNNING states before it is taken as done. */
  static final Duration GRACE = Duration.ofSeconds(5);

  /**
   * Waits until the restart of {@code name} shows in its status; see the class comment. Returns how
   * it was seen.
   *
   * @throws ConnectRestException when none of that happens within {@code timeout}, or on interrupt
   */
  private static String awaitRestart(
      ConnectRestClient connect, String name, ConnectorStatus before, Duration timeout) {
    boolean wasRunning = before.isRunning(0);
    long begun = System.nanoTime();
    long deadline = begun + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      ConnectorStatus now = connect.status(name);
      List<String> states = new ArrayList<>(List.of(now.state()));
      now.tasks().forEach(t -> states.add(t.state()));
      if (states.contains("RESTARTING") || states.contains("UNASSIGNED")) {
        return "restart seen";
      }
      boolean allRunning = states.stream().allMatch("RUNNING"::equals);
      if (allRunning && !wasRunning) {
        return "restart seen: RUNNING, was " + before.describe();
      }
      if (allRunning && System.nanoTime() - begun > GRACE.toNanos()) {
        return "restart not seen in the status within " + GRACE.toSeconds() + " s, RUNNING";
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectRestException("interrupted waiting for " + name + " to restart", -1);
      }
    }
    throw new ConnectRestException(
        "the restart of " + name + " did not show within " + timeout + "; was " + before.describe(),
        408);
  }

  @Override
  public Integer call() {
    TenantsFile tenants = tenants();
    Set<String> ids = new TreeSet<>();
    tenants.tenants().forEach(t -> ids.add(t.id()));
    for (String id : only) {
      if (!ids.contains(id)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--tenant " + id + ": no such tenant in " + file + "; " + ids);
      }
    }
    Set<String> wanted = only.isEmpty() ? ids : new TreeSet<>(only);
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    Set<String> seen = new TreeSet<>();
    int restarted = 0;
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, ConnectRestClient> cluster : connectClusters(tenants).entrySet()) {
      ConnectRestClient connect = cluster.getValue();
      for (String name : connect.connectors().stream().sorted().toList()) {
        var m = NAME.matcher(name);
        if (!m.matches() || !wanted.contains(m.group(1)) || !seen.add(name)) {
          continue; // not a tenant's, or done already (two cluster names for one Connect cluster)
        }
        long start = System.nanoTime();
        try {
          ConnectorStatus before = connect.status(name);
          if ("PAUSED".equals(before.state()) || "STOPPED".equals(before.state())) {
            out()
                .printf(
                    "left %s %s: it keeps its old secrets when resumed; restart it once it runs%n",
                    name, before.state());
            continue;
          }
          connect.restart(name);
          String seenAs = awaitRestart(connect, name, before, timeout);
          // MirrorMaker 2's checkpoint connector has no task until a group matches.
          connect.awaitRunning(name, name.endsWith(".checkpoint") ? 0 : 1, timeout);
          out()
              .printf(
                  "restarted %s on Connect cluster %s (%s): RUNNING again after %d ms%n",
                  name, cluster.getKey(), seenAs, (System.nanoTime() - start) / 1_000_000);
          restarted++;
        } catch (ConnectRestException e) {
          failures.add(name + ": " + e.getMessage());
          if (Thread.currentThread().isInterrupted()) {
            break;
          }
        }
      }
    }
    if (seen.isEmpty()) {
      failures.add(
          "no connector of "
              + wanted
              + " on "
              + connect
              + ": nothing restarted (is the file applied, and --connect right?)");
    }
    failures.forEach(f -> spec.commandLine().getErr().println("kdr: not running: " + f));
    out()
        .println(
            failures.isEmpty()
                ? restarted + " connector(s) restarted; every one RUNNING."
                : failures.size() + " problem(s) restarting the connectors.");
    out().flush();
    return failures.isEmpty() ? 0 : 1;
  }
}
