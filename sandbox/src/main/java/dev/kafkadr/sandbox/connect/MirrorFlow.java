package dev.kafkadr.sandbox.connect;

import dev.kafkadr.config.connect.ConnectRestClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One replication flow {@code source -> target} deployed as stock MirrorMaker 2 connectors (source,
 * checkpoint, heartbeat) on a Connect cluster, with MM2's own defaults except where a field here
 * says otherwise.
 *
 * @param sourceAlias source cluster alias, e.g. {@code primary}
 * @param sourceBootstrap source bootstrap servers
 * @param targetAlias target cluster alias, e.g. {@code secondary}
 * @param targetBootstrap target bootstrap servers
 * @param topics MM2 {@code topics} (comma-separated regexes)
 * @param groups MM2 {@code groups} (comma-separated regexes)
 * @param replicationFactor for the replicated topics and MM2's internal topics
 * @param interval MM2's refresh, checkpoint and heartbeat intervals; null keeps MM2's defaults
 */
public record MirrorFlow(
    String sourceAlias,
    String sourceBootstrap,
    String targetAlias,
    String targetBootstrap,
    String topics,
    String groups,
    int replicationFactor,
    Duration interval) {

  /** Connector class of MM2's source connector. */
  public static final String SOURCE = "org.apache.kafka.connect.mirror.MirrorSourceConnector";

  /** Connector class of MM2's checkpoint connector. */
  public static final String CHECKPOINT =
      "org.apache.kafka.connect.mirror.MirrorCheckpointConnector";

  /** Connector class of MM2's heartbeat connector. */
  public static final String HEARTBEAT = "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector";

  /** The name prefix of this flow's connectors, e.g. {@code mm2-primary-to-secondary}. */
  public String name() {
    return "mm2-" + sourceAlias + "-to-" + targetAlias;
  }

  /** Name of the source connector. */
  public String sourceConnector() {
    return name() + "-source";
  }

  /** Name of the checkpoint connector. */
  public String checkpointConnector() {
    return name() + "-checkpoint";
  }

  /** Name of the heartbeat connector. */
  public String heartbeatConnector() {
    return name() + "-heartbeat";
  }

  /** The three connectors' configurations by connector name. */
  public Map<String, Map<String, String>> connectors() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    out.put(sourceConnector(), config(SOURCE));
    out.put(checkpointConnector(), config(CHECKPOINT));
    out.put(heartbeatConnector(), config(HEARTBEAT));
    return out;
  }

  /** The configuration of one of MM2's connectors for this flow. */
  public Map<String, String> config(String connectorClass) {
    String rf = Integer.toString(replicationFactor);
    Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", connectorClass);
    c.put("source.cluster.alias", sourceAlias);
    c.put("target.cluster.alias", targetAlias);
    c.put("source.cluster.bootstrap.servers", sourceBootstrap);
    c.put("target.cluster.bootstrap.servers", targetBootstrap);
    // MM2 moves bytes: no conversion of keys, values or headers on the way through Connect.
    c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("topics", topics);
    c.put("groups", groups);
    // Connect writes source records through the worker's producer, which points at the worker's
    // own Kafka cluster; a flow into any other cluster must say where its records go.
    c.put("producer.override.bootstrap.servers", targetBootstrap);
    c.put("replication.factor", rf);
    c.put("offset-syncs.topic.replication.factor", rf);
    c.put("checkpoints.topic.replication.factor", rf);
    c.put("heartbeats.topic.replication.factor", rf);
    // The sandbox runs no authorizer; syncing ACLs would only log errors.
    c.put("sync.topic.acls.enabled", "false");
    if (interval != null) {
      String seconds = Long.toString(Math.max(1, interval.toSeconds()));
      c.put("refresh.topics.interval.seconds", seconds);
      c.put("refresh.groups.interval.seconds", seconds);
      c.put("emit.checkpoints.interval.seconds", seconds);
      c.put("emit.heartbeats.interval.seconds", seconds);
      c.put("sync.topic.configs.interval.seconds", seconds);
    }
    return c;
  }

  /** Creates or updates the three connectors and waits until they and their tasks run. */
  public void deploy(ConnectRestClient connect, Duration timeout) {
    connectors().forEach(connect::putConnector);
    // The checkpoint connector has no task until a consumer group matches `groups`.
    connectors()
        .keySet()
        .forEach(
            name ->
                connect.awaitRunning(name, name.equals(checkpointConnector()) ? 0 : 1, timeout));
  }

  /** Deletes the flow's connectors that exist. */
  public void undeploy(ConnectRestClient connect) {
    var existing = connect.connectors();
    connectors().keySet().stream().filter(existing::contains).forEach(connect::delete);
  }
}
