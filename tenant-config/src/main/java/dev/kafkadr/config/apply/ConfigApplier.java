package dev.kafkadr.config.apply;

import dev.kafkadr.config.ConnectPlacement;
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
 * Reads what runs on the Connect clusters, and carries out a {@link ConfigPlan} through their REST
 * APIs: exactly the planned creates, updates, moves and deletes, then waits until every created,
 * updated or moved connector and its tasks run, or reports which failed and why.
 */
public final class ConfigApplier {

  private final Map<String, ConnectRestClient> clusters;
  private final PrintWriter progress;

  /** An applier for the default Connect cluster behind {@code connect} alone. */
  public ConfigApplier(ConnectRestClient connect, PrintWriter progress) {
    this(Map.of(ConnectPlacement.DEFAULT_CLUSTER, connect), progress);
  }

  /**
   * An applier for several Connect clusters, by name ({@code default} and the declared ones),
   * reporting to {@code progress}.
   */
  public ConfigApplier(Map<String, ConnectRestClient> clusters, PrintWriter progress) {
    this.clusters = new LinkedHashMap<>(clusters);
    this.progress = progress;
  }

  /** Every connector's current configuration on the default cluster, by name. */
  public Map<String, Map<String, String>> current() {
    return current(ConnectPlacement.DEFAULT_CLUSTER);
  }

  /** Every connector's current configuration by Connect cluster and connector name. */
  public Map<String, Map<String, Map<String, String>>> currentByCluster() {
    Map<String, Map<String, Map<String, String>>> out = new LinkedHashMap<>();
    clusters.keySet().forEach(c -> out.put(c, current(c)));
    return out;
  }

  private Map<String, Map<String, String>> current(String cluster) {
    ConnectRestClient connect = client(cluster);
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (String name : connect.connectors()) {
      out.put(name, connect.connectorConfig(name));
    }
    return out;
  }

  private ConnectRestClient client(String cluster) {
    ConnectRestClient c = clusters.get(cluster);
    if (c == null) {
      throw new IllegalArgumentException("no REST URL for Connect cluster " + cluster);
    }
    return c;
  }

  /**
   * Carries out {@code plan}; returns the connectors that did not reach RUNNING within {@code
   * timeout}, each with the reason (empty when all run).
   */
  public List<String> apply(ConfigPlan plan, Duration timeout) {
    for (ConnectorChange c : plan.changes()) {
      ConnectRestClient connect = client(c.cluster());
      switch (c.action()) {
        case CREATE, UPDATE -> {
          connect.putConnector(c.name(), c.desired());
          progress.println(
              (c.action() == Action.CREATE ? "created " : "updated ") + where(c, c.cluster()));
          if (c.action() == Action.UPDATE && connect.status(c.name()).isFailed()) {
            // A new configuration does not restart a failed task whose own settings are unchanged
            // (a producer override, for one): the fix would never take effect.
            connect.restartFailed(c.name());
            progress.println("restarted the failed tasks of " + where(c, c.cluster()));
          }
        }
        case MOVE -> move(c, timeout);
        case DELETE -> {
          connect.delete(c.name());
          progress.println("deleted " + where(c, c.cluster()));
        }
        default -> {
          // Unchanged or kept: nothing to do.
        }
      }
      progress.flush();
    }
    List<String> failures = new ArrayList<>();
    for (ConnectorChange c : plan.changes()) {
      if (c.action() == Action.CREATE || c.action() == Action.UPDATE || c.action() == Action.MOVE) {
        // A checkpoint connector has no task until one of the tenant's groups exists.
        int minTasks = c.name().endsWith(".checkpoint") ? 0 : 1;
        try {
          client(c.cluster()).awaitRunning(c.name(), minTasks, timeout);
          progress.println("running " + where(c, c.cluster()));
        } catch (ConnectRestException e) {
          failures.add(c.name() + ": " + e.getMessage());
        }
        progress.flush();
      }
    }
    return failures;
  }

  /**
   * Moves one connector: a source connector is stopped where it runs (its tasks commit their
   * offsets as they stop), created stopped on its new cluster with those offsets, resumed there and
   * only then deleted where it was; the others are deleted and created again.
   */
  private void move(ConnectorChange c, Duration timeout) {
    ConnectRestClient from = client(c.from());
    ConnectRestClient to = client(c.cluster());
    if (c.name().endsWith(".source")) {
      from.stop(c.name());
      from.awaitStopped(c.name(), timeout);
      List<Map<String, Map<String, Object>>> offsets = from.offsets(c.name());
      to.createStopped(c.name(), c.desired());
      if (!offsets.isEmpty()) {
        to.alterOffsets(c.name(), offsets);
      }
      to.resume(c.name());
      from.delete(c.name());
      progress.println(
          "moved "
              + c.name()
              + " from Connect cluster "
              + c.from()
              + " to "
              + c.cluster()
              + " with the source offsets of "
              + offsets.size()
              + " partition(s)");
    } else {
      from.delete(c.name());
      to.putConnector(c.name(), c.desired());
      progress.println(
          "moved " + c.name() + " from Connect cluster " + c.from() + " to " + c.cluster());
    }
  }

  private String where(ConnectorChange c, String cluster) {
    return clusters.size() == 1 ? c.name() : c.name() + " on Connect cluster " + cluster;
  }
}
