package dev.kafkadr.config.render;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.ConnectClusterSpec;
import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.ConnectConfigs.TenantFlowConfigs;
import dev.kafkadr.config.ExactlyOnceSource;
import dev.kafkadr.config.TenantFlow;
import dev.kafkadr.config.TenantsFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders a tenants file as MirrorMaker 2 dedicated-mode properties ({@code
 * connect-mirror-maker.sh}), one file and one MM2 process per tenant.
 *
 * <p>Dedicated mode always runs MM2's own three connector classes, and one source connector per
 * {@code source->target} pair, so tenants sharing a flow cannot share a process: each tenant gets
 * its own Connect group and internal topics ({@code kdr.<tenant>.mm2-*}) on every target. The
 * kafka-dr behaviour comes in as plugins MM2 loads by class name, from Kafka's {@code libs/}: the
 * tenant topic and group filters, the replication policy, the provenance transformation and the
 * origin predicate. What only {@code TenantMirrorSourceConnector} does, the durability guard, is
 * not available in this mode. Dedicated mode gives all three connectors of a flow the same
 * settings, so the provenance transformation also stamps checkpoint and heartbeat records; the
 * checkpoint and heartbeat readers ignore headers.
 */
public final class DedicatedMirrorMaker {

  private static final String FILE_PROVIDER =
      "org.apache.kafka.common.config.provider.FileConfigProvider";
  private static final String ENV_PROVIDER =
      "org.apache.kafka.common.config.provider.EnvVarConfigProvider";

  private static final Map<String, String> INTERNAL =
      Map.of("config", "configs", "offset", "offsets", "status", "status");

  /** Keys that dedicated mode sets itself, from the cluster settings. */
  private static final Set<String> SET_BY_MM2 =
      Set.of(
          "connector.class",
          "name",
          "source.cluster.alias",
          "target.cluster.alias",
          "key.converter",
          "value.converter",
          "header.converter");

  private DedicatedMirrorMaker() {}

  /**
   * The settings of one rendered connector that a MirrorMaker 2 deployment (dedicated or Strimzi)
   * does not derive itself: without the connector class, the cluster aliases, bootstraps and
   * security (taken from the clusters), the converters, and the producer overrides that only repeat
   * the target cluster's settings.
   */
  static Map<String, String> connectorSettings(TenantFlowConfigs f, Map<String, String> connector) {
    Set<String> derived = new LinkedHashSet<>(SET_BY_MM2);
    derived.add("producer.override.bootstrap.servers");
    ClusterClients.securitySettings(f.target())
        .keySet()
        .forEach(k -> derived.add("producer.override." + k));
    Map<String, String> out = new TreeMap<>();
    connector.forEach(
        (k, v) -> {
          if (!derived.contains(k)
              && !k.startsWith("source.cluster.")
              && !k.startsWith("target.cluster.")) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** File name to properties text, one per tenant, in file order. */
  public static Map<String, String> render(TenantsFile file) {
    Map<String, List<TenantFlowConfigs>> byTenant = new LinkedHashMap<>();
    for (TenantFlowConfigs f : ConnectConfigs.flows(file)) {
      byTenant.computeIfAbsent(f.tenant(), t -> new ArrayList<>()).add(f);
    }
    Map<String, String> out = new LinkedHashMap<>();
    byTenant.forEach(
        (tenant, flows) ->
            out.put(
                tenant + ".mm2.properties",
                tenant(
                    tenant,
                    flows,
                    file.connect()
                        .clusterOf(tenant)
                        .map(ConnectClusterSpec::exactlyOnceSource)
                        .orElse(ExactlyOnceSource.DISABLED))));
    return out;
  }

  private static String tenant(
      String tenant, List<TenantFlowConfigs> flows, ExactlyOnceSource exactlyOnce) {
    Properties p = new Properties();
    p.comment("MirrorMaker 2 dedicated mode for tenant \"" + tenant + "\", rendered by kafka-dr.");
    p.comment(
        "Run it as its own process: bin/connect-mirror-maker.sh " + tenant + ".mm2.properties");
    p.comment("with the kafka-dr-connect-plugins jar in Kafka's libs/ directory.");
    Set<String> aliases = new LinkedHashSet<>();
    flows.forEach(
        f -> {
          aliases.add(f.source().alias());
          aliases.add(f.target().alias());
        });
    p.blank();
    p.put("clusters", String.join(", ", aliases));
    p.comment("Secrets stay references, resolved by MM2 from files or the environment.");
    p.put("config.providers", "file,env");
    p.put("config.providers.file.class", FILE_PROVIDER);
    p.put("config.providers.env.class", ENV_PROVIDER);
    for (TenantFlowConfigs f : flows) {
      for (var c : List.of(f.source(), f.target())) {
        if (p.has(c.alias() + ".bootstrap.servers")) {
          continue;
        }
        p.blank();
        p.put(c.alias() + ".bootstrap.servers", c.bootstrap());
        Map<String, Object> client = ClusterClients.securitySettings(c);
        client.forEach((k, v) -> p.put(c.alias() + "." + k, String.valueOf(v)));
      }
    }
    Set<String> targets = new LinkedHashSet<>();
    flows.forEach(f -> targets.add(f.target().alias()));
    for (String target : targets) {
      p.blank();
      p.comment("This tenant's own Connect group and internal topics on " + target + ".");
      String rf = flows.get(0).sourceConnector().get("replication.factor");
      p.put(target + ".group.id", "kdr." + tenant + ".mm2");
      for (String kind : List.of("config", "offset", "status")) {
        String key = "config".equals(kind) ? "config.storage" : kind + ".storage";
        p.put(
            target + "." + key + ".topic",
            "kdr." + tenant + ".mm2-" + INTERNAL.get(kind) + ".internal");
        p.put(target + "." + key + ".replication.factor", rf);
      }
      if (exactlyOnce != ExactlyOnceSource.DISABLED) {
        p.put(target + ".exactly.once.source.support", exactlyOnce.configName());
      }
    }
    if (exactlyOnce != ExactlyOnceSource.DISABLED) {
      internalRest(p);
    }
    Set<String> enabled = new LinkedHashSet<>();
    for (TenantFlowConfigs f : flows) {
      String flow = f.source().alias() + "->" + f.target().alias();
      enabled.add(flow);
      p.blank();
      p.put(flow + ".enabled", "true");
      Map<String, String> settings = new TreeMap<>();
      for (Map<String, String> connector :
          List.of(f.heartbeat(), f.checkpoint(), f.sourceConnector())) {
        settings.putAll(connectorSettings(f, connector));
      }
      // Would reach the heartbeat and checkpoint connectors too, which cannot declare it.
      settings.keySet().removeAll(ConnectConfigs.EXACTLY_ONCE_SETTINGS.keySet());
      settings.put("topic.filter.class", TenantFlow.TOPIC_FILTER);
      settings.put("group.filter.class", TenantFlow.GROUP_FILTER);
      settings.forEach((k, v) -> p.put(flow + "." + k, v));
    }
    // MM2 starts a heartbeat connector for every pair of clusters; only this tenant's flows emit.
    for (String a : aliases) {
      for (String b : aliases) {
        if (!a.equals(b) && !enabled.contains(a + "->" + b)) {
          p.blank();
          p.put(a + "->" + b + ".enabled", "false");
          p.put(a + "->" + b + ".emit.heartbeats.enabled", "false");
        }
      }
    }
    return p.text();
  }

  /** The internal REST server exactly-once source support needs in dedicated mode. */
  private static void internalRest(Properties p) {
    p.blank();
    p.comment(
        "Exactly-once source support (KIP-618) needs the nodes' internal REST server (KIP-710),");
    p.comment("on Connect's default listener http://:8083 unless listeners says otherwise;");
    p.comment("secure it as Connect's REST settings describe. Dedicated mode gives the three");
    p.comment("connectors the same settings, so exactly.once.support stays at its default");
    p.comment("(requested): the worker setting and read_committed carry the guarantee.");
    p.put("dedicated.mode.enable.internal.rest", "true");
  }

  /** Properties text in a fixed order, with comments and blank lines. */
  private static final class Properties {
    private final StringBuilder text = new StringBuilder();
    private final Set<String> keys = new LinkedHashSet<>();

    void comment(String line) {
      text.append("# ").append(line).append('\n');
    }

    void blank() {
      text.append('\n');
    }

    void put(String key, String value) {
      keys.add(key);
      text.append(escape(key, true)).append(" = ").append(escape(value, false)).append('\n');
    }

    boolean has(String key) {
      return keys.contains(key);
    }

    String text() {
      return text.toString();
    }

    /** Escapes as {@link java.util.Properties#load} reads it: backslashes, and in keys ':' '='. */
    private static String escape(String s, boolean key) {
      StringBuilder out = new StringBuilder();
      for (char c : s.toCharArray()) {
        if (c == '\\' || (key && (c == ':' || c == '=' || c == ' '))) {
          out.append('\\');
        }
        out.append(c);
      }
      return out.toString();
    }
  }
}
