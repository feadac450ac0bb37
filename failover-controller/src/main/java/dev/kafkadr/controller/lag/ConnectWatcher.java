package dev.kafkadr.controller.lag;

import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectRestException;
import dev.kafkadr.config.connect.ConnectorStatus;
import dev.kafkadr.controller.lag.FlowHealth.ConnectorState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the state of each tenant flow's connectors from the target's Connect cluster. */
final class ConnectWatcher {

  private static final List<String> WORST_FIRST =
      List.of("UNREACHABLE", "MISSING", "FAILED", "PAUSED", "UNASSIGNED", "RESTARTING", "RUNNING");

  private final Map<String, String> urls;
  private final Map<String, ConnectRestClient> clients = new HashMap<>();

  /** Watches the Connect clusters at {@code urls}, by target cluster alias. */
  ConnectWatcher(Map<String, String> urls) {
    this.urls = Map.copyOf(urls);
  }

  /**
   * The connectors of flow {@code name} ({@code tenant.source-to-target}) on {@code target}'s
   * Connect cluster, with their overall state.
   */
  Result states(String target, String name) {
    String url = urls.get(target);
    if (url == null) {
      return new Result("NOT_WATCHED", List.of(), null);
    }
    ConnectRestClient connect = clients.computeIfAbsent(target, t -> new ConnectRestClient(url));
    List<ConnectorState> out = new ArrayList<>();
    String problem = null;
    for (String kind : List.of("source", "checkpoint", "heartbeat")) {
      String connector = name + "." + kind;
      try {
        ConnectorStatus s = connect.status(connector);
        out.add(
            new ConnectorState(
                connector,
                s.state(),
                s.tasks().stream().map(ConnectorStatus.Task::state).toList(),
                s.isFailed() ? firstLine(s.firstTrace()) : null));
      } catch (ConnectRestException e) {
        boolean missing = e.status() == 404;
        out.add(
            new ConnectorState(connector, missing ? "MISSING" : "UNREACHABLE", List.of(), null));
        problem = missing ? problem : e.getMessage();
      }
    }
    String worst = "RUNNING";
    for (ConnectorState c : out) {
      for (String state : concat(c.state(), c.tasks())) {
        int rank = WORST_FIRST.indexOf(state);
        if (rank >= 0 && rank < WORST_FIRST.indexOf(worst)) {
          worst = state;
        }
      }
    }
    return new Result(worst, out, problem);
  }

  private static List<String> concat(String state, List<String> tasks) {
    List<String> all = new ArrayList<>(tasks);
    all.add(state);
    return all;
  }

  private static String firstLine(String trace) {
    return trace == null ? null : trace.lines().findFirst().orElse(trace);
  }

  /**
   * The connectors of one flow.
   *
   * @param replication the worst state
   * @param connectors each connector
   * @param problem Connect's answer when it failed, or null
   */
  record Result(String replication, List<ConnectorState> connectors, String problem) {}
}
