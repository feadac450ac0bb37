package dev.kafkadr.config.cli;

import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectRestException;
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
 * <p>Each is stopped, seen STOPPED with no task left, then resumed and awaited RUNNING: Connect's
 * own restart endpoint answers before anything restarts and its status store may still say RUNNING
 * afterwards, so a RUNNING read after it proves nothing. A connector that is PAUSED or STOPPED (a
 * workflow stopped a forward flow) is left so: it reads its secrets when it resumes.
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

  /**
   * Waits until the connector or a task is seen in another state than RUNNING (RESTARTING,
   * UNASSIGNED): Connect answers the restart before anything restarts, and its status store says
   * RUNNING from before until the herder acts, so a RUNNING read before this proves nothing.
   */
  private static void awaitRestarting(ConnectRestClient connect, String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      var status = connect.status(name);
      if (!"RUNNING".equals(status.state())
          || status.tasks().stream().anyMatch(t -> !"RUNNING".equals(t.state()))) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectRestException("interrupted waiting for " + name + " to restart", -1);
      }
    }
    throw new ConnectRestException(
        "the restart of " + name + " was not seen within " + timeout + " (still RUNNING)", 408);
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
          continue; // not a tenant's, or already done through a Connect cluster at the same URL
        }
        String state = connect.status(name).state();
        if ("PAUSED".equals(state) || "STOPPED".equals(state)) {
          out().printf("left %s %s: restart it once it runs again%n", name, state);
          continue;
        }
        long start = System.nanoTime();
        try {
          connect.restart(name);
          awaitRestarting(connect, name, timeout);
          // MirrorMaker 2's checkpoint connector has no task until a group matches.
          connect.awaitRunning(name, name.endsWith(".checkpoint") ? 0 : 1, timeout);
          out()
              .printf(
                  "restarted %s on Connect cluster %s: restarting seen, RUNNING again after %d ms%n",
                  name, cluster.getKey(), (System.nanoTime() - start) / 1_000_000);
          restarted++;
        } catch (ConnectRestException e) {
          failures.add(name + ": " + e.getMessage());
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
