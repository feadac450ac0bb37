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
 * {@code kdr config restart}: restarts every connector of the file's tenants (or of those named)
 * with all of its tasks, so that they read their secrets again. Kafka's {@code FileConfigProvider}
 * has no TTL: a connector resolves {@code ${file:...}} when it starts, so a rotated password or key
 * store reaches replication only through a restart. Connectors of kafka-dr's naming ({@code
 * <tenant>.<source>-to-<target>.source|checkpoint|heartbeat}) are restarted on every Connect
 * cluster the file uses, the way back of a flow that a workflow started included.
 */
@Command(
    name = "restart",
    mixinStandardHelpOptions = true,
    description = {
      "Restart the tenants' connectors and their tasks, so that they read their secrets again",
      "(after a rotated password or key store), then wait for RUNNING."
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
      description = "Seconds to wait for the connectors to run again. Default: ${DEFAULT-VALUE}.")
  long timeoutSeconds;

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
    int restarted = 0;
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, ConnectRestClient> cluster : connectClusters(tenants).entrySet()) {
      ConnectRestClient connect = cluster.getValue();
      List<String> names =
          connect.connectors().stream()
              .filter(
                  n -> {
                    var m = NAME.matcher(n);
                    return m.matches() && wanted.contains(m.group(1));
                  })
              .sorted()
              .toList();
      long start = System.nanoTime();
      names.forEach(connect::restart);
      for (String name : names) {
        try {
          // MirrorMaker 2's checkpoint connector has no task until a group matches.
          int minTasks = name.endsWith(".checkpoint") ? 0 : 1;
          connect.awaitRunning(name, minTasks, Duration.ofSeconds(timeoutSeconds));
          out()
              .printf(
                  "restarted %s on Connect cluster %s: RUNNING after %d ms%n",
                  name, cluster.getKey(), (System.nanoTime() - start) / 1_000_000);
          restarted++;
        } catch (ConnectRestException e) {
          failures.add(name + ": " + e.getMessage());
        }
      }
    }
    failures.forEach(f -> spec.commandLine().getErr().println("kdr: not running: " + f));
    out()
        .println(
            failures.isEmpty()
                ? restarted + " connector(s) restarted; every one RUNNING."
                : failures.size() + " connector(s) not running after the restart.");
    out().flush();
    return failures.isEmpty() ? 0 : 1;
  }
}
