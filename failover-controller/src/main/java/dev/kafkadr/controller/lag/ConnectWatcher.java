package dev.kafkadr.controller.lag;

import dev.kafkadr.config.ConnectClusterSpec;
import dev.kafkadr.config.ConnectPlacement;
import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.config.connect.ConnectEndpoints;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectRestException;
import dev.kafkadr.config.connect.ConnectorStatus;
import dev.kafkadr.controller.lag.FlowHealth.ConnectorState;
import dev.kafkadr.controller.lag.measure.CopyPosition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the state of each tenant flow's connectors from the target's Connect cluster. */
final class ConnectWatcher {

  private static final List<String> WORST_FIRST =
      List.of("UNREACHABLE", "MISSING", "FAILED", "PAUSED", "UNASSIGNED", "RESTARTING", "RUNNING");

  private final ConnectEndpoints endpoints;
  private final ConnectPlacement placement;
  private final Map<String, ConnectRestClient> clients = new HashMap<>();

  /**
   * Watches the default Connect clusters of {@code endpoints}, by target cluster alias, and the
   * declared ones of {@code placement} for the tenants placed on them.
   */
  ConnectWatcher(ConnectEndpoints endpoints, ConnectPlacement placement) {
    this.endpoints = endpoints;
    this.placement = placement;
  }

  /**
   * The REST client of the Connect cluster that runs {@code tenant}'s flows into {@code target}:
   * its declared cluster, or the default one for {@code target}; null when not watched.
   */
  private ConnectRestClient client(String tenant, String target) {
    String url =
        placement
            .clusterOf(tenant)
            .map(ConnectClusterSpec::url)
            .orElseGet(() -> endpoints.url(target).orElse(null));
    return url == null ? null : clients.computeIfAbsent(url, endpoints::client);
  }

  /**
   * The next source offset to copy per source partition, from the committed offsets of flow {@code
   * name}'s source connector on {@code target}'s Connect cluster; empty when Connect is not
   * watched, cannot be reached, or holds none. MM2 stores the last offset it copied.
   */
  Map<org.apache.kafka.common.TopicPartition, Long> committed(
      String tenant, String target, String name, String sourceAlias) {
    ConnectRestClient connect = client(tenant, target);
    Map<org.apache.kafka.common.TopicPartition, Long> out = new HashMap<>();
    if (connect == null) {
      return out;
    }
    try {
      for (var entry : connect.offsets(name + ".source")) {
        Map<String, Object> partition = entry.get("partition");
        Object offset = entry.get("offset").get("offset");
        if (sourceAlias.equals(partition.get("cluster"))
            && partition.get("topic") instanceof String topic
            && partition.get("partition") instanceof Number p
            && offset instanceof Number o) {
          out.put(
              new org.apache.kafka.common.TopicPartition(topic, p.intValue()), o.longValue() + 1);
        }
      }
    } catch (ConnectRestException e) {
      // Not reachable or no such connector: the partitions stay unknown.
    }
    return out;
  }

  /**
   * For partitions whose copy answered but cannot name its position from its records (no record
   * from this source among its newest: a reverse flow started from a switch point with identical
   * names, copies without provenance, or a copy emptied by retention), the source connector's
   * committed offset: Connect commits a source offset only after the target acknowledged the
   * record, so it is never past the copy, and the lag from it is an upper bound ({@code
   * connector-offsets}; at most one offset-commit interval behind). Partitions whose copy did not
   * answer at all stay unknown.
   */
  void fromConnectorOffsets(
      FlowSpec flow,
      Map<org.apache.kafka.common.TopicPartition, String> tenantOf,
      Map<org.apache.kafka.common.TopicPartition, CopyPosition> positions) {
    Map<String, Map<org.apache.kafka.common.TopicPartition, Long>> byTenant = new HashMap<>();
    for (var e : positions.entrySet()) {
      CopyPosition p = e.getValue();
      if (p.known() || p.copyEnd() < 0) {
        continue;
      }
      String tenant = tenantOf.get(e.getKey());
      Map<org.apache.kafka.common.TopicPartition, Long> committed =
          byTenant.computeIfAbsent(
              tenant,
              t ->
                  committed(
                      t,
                      flow.target(),
                      t + "." + flow.source() + "-to-" + flow.target(),
                      flow.source()));
      Long next = committed.get(e.getKey());
      if (next != null) {
        e.setValue(CopyPosition.connectorOffsets(next, p.copyEnd(), p.reason()));
      }
    }
  }

  /**
   * The connectors of flow {@code name} ({@code tenant.source-to-target}) on the Connect cluster
   * that runs {@code tenant}'s flows into {@code target}, with their overall state.
   */
  Result states(String tenant, String target, String name) {
    ConnectRestClient connect = client(tenant, target);
    if (connect == null) {
      return new Result("NOT_WATCHED", List.of(), null, false);
    }
    List<ConnectorState> out = new ArrayList<>();
    String problem = null;
    boolean tooLarge = false;
    for (String kind : List.of("source", "checkpoint", "heartbeat")) {
      String connector = name + "." + kind;
      try {
        ConnectorStatus s = connect.status(connector);
        tooLarge |=
            "source".equals(kind)
                && s.tasks().stream().anyMatch(t -> RefusedRecords.tooLarge(t.trace()));
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
    return new Result(worst, out, problem, tooLarge);
  }

  /**
   * The configuration of {@code connector} as the Connect cluster running {@code tenant}'s flows
   * into {@code target} holds it; empty when not watched or not answered.
   */
  Map<String, String> config(String tenant, String target, String connector) {
    ConnectRestClient connect = client(tenant, target);
    if (connect == null) {
      return Map.of();
    }
    try {
      return connect.connectorConfig(connector);
    } catch (ConnectRestException e) {
      return Map.of();
    }
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
   * @param recordTooLarge whether a source task failed because a record was too large
   */
  record Result(
      String replication,
      List<ConnectorState> connectors,
      String problem,
      boolean recordTooLarge) {}
}
