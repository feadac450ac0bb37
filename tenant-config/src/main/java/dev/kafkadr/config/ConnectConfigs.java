package dev.kafkadr.config;

import dev.kafkadr.tenant.Tenant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Renders a validated tenants file into Kafka Connect connector configurations (the bodies of
 * {@code PUT /connectors/<name>/config}): for every flow and every tenant it carries, the tenant
 * source and checkpoint connectors and MM2's heartbeat connector, with the clusters' security, the
 * shipped tuned settings and the tenant's allowed overrides.
 */
public final class ConnectConfigs {

  /** Replication factor of remote and MM2-internal topics unless a tenant overrides it. */
  public static final int DEFAULT_REPLICATION_FACTOR = 3;

  private ConnectConfigs() {}

  /** Every connector, by name, in file order. */
  public static Map<String, Map<String, String>> render(TenantsFile file) {
    Map<String, ClusterSpec> clusters =
        file.clusters().stream().collect(Collectors.toMap(ClusterSpec::alias, Function.identity()));
    Map<String, Tenant> tenants =
        file.tenants().stream().collect(Collectors.toMap(Tenant::id, Function.identity()));
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (FlowSpec flow : file.flows()) {
      ClusterSpec source = clusters.get(flow.source());
      ClusterSpec target = clusters.get(flow.target());
      for (String id : flow.tenants()) {
        Tenant tenant = tenants.get(id);
        Map<String, String> client = new LinkedHashMap<>();
        client.putAll(ClientSecurity.settings(source, "source.cluster."));
        client.putAll(ClientSecurity.settings(target, "target.cluster."));
        client.putAll(ClientSecurity.settings(target, "producer.override."));
        client.putAll(file.overrides().getOrDefault(id, Map.of()));
        TenantFlow tf =
            new TenantFlow(
                id,
                source.alias(),
                source.bootstrap(),
                target.alias(),
                target.bootstrap(),
                tenant.topics().include(),
                tenant.groups().include(),
                others(file, id, t -> t.topics().include()),
                tenant.naming(),
                DEFAULT_REPLICATION_FACTOR,
                null,
                client);
        Map<String, String> extra = tenantOnly(file, tenant);
        Map<String, String> sourceConnector = tf.source();
        sourceConnector.putAll(extra);
        Map<String, String> checkpoint = tf.checkpoint();
        checkpoint.putAll(extra);
        Map<String, Map<String, String>> three = tf.connectors();
        out.put(tf.name() + ".source", sourceConnector);
        out.put(tf.name() + ".checkpoint", checkpoint);
        out.put(tf.name() + ".heartbeat", three.get(tf.name() + ".heartbeat"));
      }
    }
    return out;
  }

  /** Tenant keys only our connectors read: excludes and other tenants' groups, when present. */
  private static Map<String, String> tenantOnly(TenantsFile file, Tenant tenant) {
    Map<String, String> extra = new LinkedHashMap<>();
    if (!tenant.topics().exclude().isEmpty()) {
      extra.put("kdr.tenant.topics.exclude", String.join(",", tenant.topics().exclude()));
    }
    if (!tenant.groups().exclude().isEmpty()) {
      extra.put("kdr.tenant.groups.exclude", String.join(",", tenant.groups().exclude()));
    }
    List<String> otherGroups = others(file, tenant.id(), t -> t.groups().include());
    if (!otherGroups.isEmpty()) {
      extra.put("kdr.tenant.others.groups", String.join(",", otherGroups));
    }
    return extra;
  }

  private static List<String> others(
      TenantsFile file, String id, Function<Tenant, List<String>> patterns) {
    List<String> out = new ArrayList<>();
    file.tenants().stream()
        .filter(t -> !t.id().equals(id))
        .forEach(t -> out.addAll(patterns.apply(t)));
    return out;
  }
}
