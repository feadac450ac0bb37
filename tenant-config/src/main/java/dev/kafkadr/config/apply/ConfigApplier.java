package dev.kafkadr.config.apply;

import dev.kafkadr.config.apply.ConnectorChange.Action;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectRestException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what runs on a Connect cluster, and carries out a {@link ConfigPlan} through its REST API:
 * exactly the planned creates, updates and deletes, then waits until every created or updated
 * connector and its tasks run, or reports which failed and why.
 */
public final class ConfigApplier {

  private final ConnectRestClient connect;
  private final PrintWriter progress;

  /** An applier for the Connect cluster behind {@code connect}, reporting to {@code progress}. */
  public ConfigApplier(ConnectRestClient connect, PrintWriter progress) {
    this.connect = connect;
    this.progress = progress;
  }

  /** Every connector's current configuration, by name. */
  public Map<String, Map<String, String>> current() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (String name : connect.connectors()) {
      out.put(name, connect.connectorConfig(name));
    }
    return out;
  }

  /**
   * Carries out {@code plan}; returns the connectors that did not reach RUNNING within {@code
   * timeout}, each with the reason (empty when all run).
   */
  public List<String> apply(ConfigPlan plan, Duration timeout) {
    for (ConnectorChange c : plan.changes()) {
      switch (c.action()) {
        case CREATE, UPDATE -> {
          connect.putConnector(c.name(), c.desired());
          progress.println((c.action() == Action.CREATE ? "created " : "updated ") + c.name());
        }
        case DELETE -> {
          connect.delete(c.name());
          progress.println("deleted " + c.name());
        }
        default -> {
          // Unchanged: nothing to do.
        }
      }
      progress.flush();
    }
    List<String> failures = new ArrayList<>();
    for (ConnectorChange c : plan.changes()) {
      if (c.action() == Action.CREATE || c.action() == Action.UPDATE) {
        // A checkpoint connector has no task until one of the tenant's groups exists.
        int minTasks = c.name().endsWith(".checkpoint") ? 0 : 1;
        try {
          connect.awaitRunning(c.name(), minTasks, timeout);
          progress.println("running " + c.name());
        } catch (ConnectRestException e) {
          failures.add(c.name() + ": " + e.getMessage());
        }
        progress.flush();
      }
    }
    return failures;
  }
}
