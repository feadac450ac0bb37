package dev.kafkadr.config;

import dev.kafkadr.tenant.NamingMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connector configurations of one tenant's replication flow {@code source -> target}: the
 * tenant source and checkpoint connectors (with policy, filters, loop prevention and provenance)
 * and MM2's stock heartbeat connector.
 *
 * @param tenant tenant id
 * @param sourceAlias source cluster alias
 * @param sourceBootstrap source bootstrap servers
 * @param targetAlias target cluster alias
 * @param targetBootstrap target bootstrap servers
 * @param topics the tenant's topic include patterns
 * @param groups the tenant's group include patterns
 * @param otherTenantsTopics topic patterns of every other tenant
 * @param naming prefixed or identical remote topic names
 * @param replicationFactor of remote and MM2-internal topics
 * @param interval MM2's refresh, checkpoint, heartbeat and config-sync intervals; null keeps MM2's
 *     defaults
 * @param clientSettings extra connector settings: the clusters' security as {@code
 *     source.cluster.*}, {@code target.cluster.*} and {@code producer.override.*} keys, and the
 *     tenant's overrides; applied last
 */
public record TenantFlow(
    String tenant,
    String sourceAlias,
    String sourceBootstrap,
    String targetAlias,
    String targetBootstrap,
    List<String> topics,
    List<String> groups,
    List<String> otherTenantsTopics,
    NamingMode naming,
    int replicationFactor,
    Duration interval,
    Map<String, String> clientSettings) {

  /** Class names of the plugins, as strings: this module does not load Connect's classes. */
  static final String PLUGIN_PACKAGE = "dev.kafkadr.connect.";

  /** Our source connector. */
  public static final String SOURCE_CONNECTOR = PLUGIN_PACKAGE + "TenantMirrorSourceConnector";

  /** Our checkpoint connector. */
  public static final String CHECKPOINT_CONNECTOR =
      PLUGIN_PACKAGE + "TenantMirrorCheckpointConnector";

  /** MM2's heartbeat connector. */
  public static final String HEARTBEAT_CONNECTOR =
      "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector";

  /** Our replication policy. */
  public static final String POLICY = PLUGIN_PACKAGE + "TenantReplicationPolicy";

  /** Our provenance transformation. */
  public static final String PROVENANCE = PLUGIN_PACKAGE + "ProvenanceHeaders";

  /** Our topic filter (set by our source connector itself; named for MM2's own connectors). */
  public static final String TOPIC_FILTER = PLUGIN_PACKAGE + "TenantTopicFilter";

  /** Our group filter (likewise). */
  public static final String GROUP_FILTER = PLUGIN_PACKAGE + "TenantGroupFilter";

  /** Our origin predicate. */
  public static final String ORIGIN_IS = PLUGIN_PACKAGE + "OriginIs";

  /**
   * The client settings the tenant source connector ships with, tuned on the sandbox against MM2's
   * defaults (see BENCHMARKS.md): larger polls and partition fetches from the source, larger
   * batches to the target, two tasks. Fetch waits are left at their defaults: raising {@code
   * fetch.min.bytes} bought throughput but cost 50 ms of replication latency, which is RPO.
   */
  public static final Map<String, String> TUNED_SOURCE_SETTINGS =
      Map.of(
          "tasks.max", "2",
          "consumer.max.poll.records", "2000",
          "consumer.max.partition.fetch.bytes", "4194304",
          "producer.override.batch.size", "262144",
          "producer.override.buffer.memory", "67108864");

  /**
   * The source consumer's isolation level, set to {@code read_committed} on every flow and in every
   * rendering; no override may change it.
   */
  public static final String ISOLATION_LEVEL = "consumer.isolation.level";

  /**
   * Topic settings MirrorMaker 2's config sync leaves alone on the copies: its own defaults
   * (replication throttles, timestamp type, and the two durability settings the durability guard
   * raises instead), the timestamp bounds a copy must not enforce again (a record accepted by the
   * source hours ago, or a backfill of old records, would be refused by the copy at copying time,
   * and the flow would stop), and {@code max.message.bytes}, which the guard keeps at least the
   * source's plus room for the provenance header.
   */
  public static final String CONFIG_PROPERTIES_EXCLUDE =
      String.join(
          ", ",
          "follower\\.replication\\.throttled\\.replicas",
          "leader\\.replication\\.throttled\\.replicas",
          "message\\.timestamp\\.difference\\.max\\.ms",
          "message\\.timestamp\\.before\\.max\\.ms",
          "message\\.timestamp\\.after\\.max\\.ms",
          "message\\.timestamp\\.type",
          "unclean\\.leader\\.election\\.enable",
          "min\\.insync\\.replicas",
          "max\\.message\\.bytes");

  /**
   * The replication producer's largest request, unless a tenant overrides it: twice Kafka's default
   * record batch limit, so that a record as large as a source accepts by default still fits once
   * its provenance header is added (the producer's own default, 1 MiB, is below the broker's
   * default limit of 1 MiB and 12 bytes).
   */
  public static final String MAX_REQUEST_SIZE = "2097152";

  /** Name prefix of the flow's connectors, e.g. {@code acme.primary-to-secondary}. */
  public String name() {
    return tenant + "." + sourceAlias + "-to-" + targetAlias;
  }

  /** The source, checkpoint and heartbeat connector configurations, by connector name. */
  public Map<String, Map<String, String>> connectors() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    out.put(name() + ".source", source());
    out.put(name() + ".checkpoint", checkpoint());
    out.put(name() + ".heartbeat", withClientSettings(common(HEARTBEAT_CONNECTOR)));
    return out;
  }

  /** The source connector: drops records that came from the target, stamps provenance. */
  public Map<String, String> source() {
    Map<String, String> c = tenantConnector(SOURCE_CONNECTOR);
    c.put("transforms", "dropFromTarget,provenance");
    c.put("transforms.dropFromTarget.type", "org.apache.kafka.connect.transforms.Filter");
    c.put("transforms.dropFromTarget.predicate", "fromTarget");
    c.put("transforms.provenance.type", PROVENANCE);
    c.put("transforms.provenance.origin.alias", sourceAlias);
    c.put("predicates", "fromTarget");
    c.put("predicates.fromTarget.type", ORIGIN_IS);
    c.put("predicates.fromTarget.alias", targetAlias);
    c.put("config.properties.exclude", CONFIG_PROPERTIES_EXCLUDE);
    c.put("producer.override.max.request.size", MAX_REQUEST_SIZE);
    c.putAll(TUNED_SOURCE_SETTINGS);
    c.putAll(clientSettings);
    // Committed records only, whatever a setting above says: MM2's consumer reads uncommitted
    // records unless told, and aborted records would become ordinary records on the copy.
    c.put(ISOLATION_LEVEL, "read_committed");
    return c;
  }

  /** The checkpoint connector for the tenant's consumer groups. */
  public Map<String, String> checkpoint() {
    return withClientSettings(tenantConnector(CHECKPOINT_CONNECTOR));
  }

  private Map<String, String> withClientSettings(Map<String, String> config) {
    config.putAll(clientSettings);
    return config;
  }

  /** Client properties for MM2's {@code RemoteClusterUtils} on the target, with this policy. */
  public Map<String, Object> remoteClusterUtilsConfig() {
    return Map.of(
        "bootstrap.servers",
        targetBootstrap,
        "replication.policy.class",
        POLICY,
        "kdr.tenant.naming",
        naming.configName());
  }

  private Map<String, String> tenantConnector(String connectorClass) {
    Map<String, String> c = common(connectorClass);
    // Only our own connectors can load our policy (plugin isolation); MM2's heartbeat connector
    // names its topic "heartbeats" under every policy, so it keeps the default.
    c.put("replication.policy.class", POLICY);
    c.put("kdr.tenant.id", tenant);
    c.put("kdr.tenant.topics.include", String.join(",", topics));
    c.put("kdr.tenant.groups.include", String.join(",", groups));
    c.put("kdr.tenant.others.topics", String.join(",", otherTenantsTopics));
    c.put("kdr.tenant.naming", naming.configName());
    return c;
  }

  private Map<String, String> common(String connectorClass) {
    String rf = Integer.toString(replicationFactor);
    Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", connectorClass);
    c.put("source.cluster.alias", sourceAlias);
    c.put("target.cluster.alias", targetAlias);
    c.put("source.cluster.bootstrap.servers", sourceBootstrap);
    c.put("target.cluster.bootstrap.servers", targetBootstrap);
    c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    // Connect writes source records through the worker's producer, which points at the worker's
    // own Kafka cluster; a flow into any other cluster must say where its records go.
    c.put("producer.override.bootstrap.servers", targetBootstrap);
    c.put("replication.factor", rf);
    c.put("offset-syncs.topic.replication.factor", rf);
    c.put("checkpoints.topic.replication.factor", rf);
    c.put("heartbeats.topic.replication.factor", rf);
    c.put("sync.topic.acls.enabled", "false");
    // Offset syncs on the target (KIP-716): replication then only reads the source cluster, so its
    // principal there is read-only, and a task cut off from the source does not wait on close for
    // an offset-sync producer pointed at it.
    c.put("offset-syncs.topic.location", "target");
    if (interval != null) {
      String seconds = Long.toString(Math.max(1, interval.toSeconds()));
      for (String key :
          List.of(
              "refresh.topics",
              "refresh.groups",
              "emit.checkpoints",
              "emit.heartbeats",
              "sync.topic.configs")) {
        c.put(key + ".interval.seconds", seconds);
      }
    }
    return c;
  }
}
