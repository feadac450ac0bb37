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
 *
 * <p>Other tenants' patterns ({@code kdr.tenant.others.*}) are not rendered: validation has proved
 * the tenants disjoint, and with them a change to one tenant would rewrite, and so restart, every
 * other tenant's connectors, pausing their replication.
 */
public final class ConnectConfigs {

  /** Replication factor of remote and MM2-internal topics unless a tenant overrides it. */
  public static final int DEFAULT_REPLICATION_FACTOR = 3;

  private ConnectConfigs() {}

  /**
   * One tenant's replication over one flow: its three connector configurations.
   *
   * @param tenant the tenant id
   * @param source the flow's source cluster
   * @param target the flow's target cluster
   * @param name the connectors' common name prefix, {@code tenant.source-to-target}
   * @param sourceConnector the tenant source connector
   * @param checkpoint the tenant checkpoint connector
   * @param heartbeat MM2's heartbeat connector
   * @param placement the Connect cluster the connectors run on and the tenant's delivery
   */
  public record TenantFlowConfigs(
      String tenant,
      ClusterSpec source,
      ClusterSpec target,
      String name,
      Map<String, String> sourceConnector,
      Map<String, String> checkpoint,
      Map<String, String> heartbeat,
      ConnectPlacement.Placement placement) {

    /** The three connectors by name: source, checkpoint, heartbeat. */
    public Map<String, Map<String, String>> connectors() {
      Map<String, Map<String, String>> out = new LinkedHashMap<>();
      out.put(name + ".source", sourceConnector);
      out.put(name + ".checkpoint", checkpoint);
      out.put(name + ".heartbeat", heartbeat);
      return out;
    }
  }

  /**
   * The source connector keys of an exactly-once tenant (KIP-618): validation fails unless the
   * worker runs {@code exactly.once.source.support=enabled} and the connector can deliver exactly
   * once (MirrorMaker 2's source connector can when its consumer reads committed records), and each
   * {@code poll()} batch is one transaction.
   */
  public static final Map<String, String> EXACTLY_ONCE_SETTINGS =
      Map.of("exactly.once.support", "required", "transaction.boundary", "poll");

  /** Every connector, by name, in file order, whatever Connect cluster it runs on. */
  public static Map<String, Map<String, String>> render(TenantsFile file) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    flows(file).forEach(f -> out.putAll(f.connectors()));
    return out;
  }

  /**
   * Every connector by Connect cluster ({@link ConnectPlacement#DEFAULT_CLUSTER} or a declared
   * name) and connector name, in file order; a cluster no tenant runs on is absent, except the
   * default one, which is always present.
   */
  public static Map<String, Map<String, Map<String, String>>> renderByCluster(TenantsFile file) {
    Map<String, Map<String, Map<String, String>>> out = new LinkedHashMap<>();
    out.put(ConnectPlacement.DEFAULT_CLUSTER, new LinkedHashMap<>());
    for (TenantFlowConfigs f : flows(file)) {
      out.computeIfAbsent(f.placement().connectCluster(), c -> new LinkedHashMap<>())
          .putAll(f.connectors());
    }
    return out;
  }

  /** Every tenant on every flow, in file order. */
  public static List<TenantFlowConfigs> flows(TenantsFile file) {
    Map<String, ClusterSpec> clusters =
        file.clusters().stream().collect(Collectors.toMap(ClusterSpec::alias, Function.identity()));
    Map<String, Tenant> tenants =
        file.tenants().stream().collect(Collectors.toMap(Tenant::id, Function.identity()));
    List<TenantFlowConfigs> out = new ArrayList<>();
    for (FlowSpec flow : file.flows()) {
      ClusterSpec source = clusters.get(flow.source());
      ClusterSpec target = clusters.get(flow.target());
      for (String id : flow.tenants()) {
        Tenant tenant = tenants.get(id);
        Map<String, String> client = new LinkedHashMap<>();
        client.putAll(ClientSecurity.settings(source, "source.cluster."));
        client.putAll(ClientSecurity.settings(target, "target.cluster."));
        client.putAll(ClientSecurity.settings(target, "producer.override."));
        Map<String, String> overrides = file.overrides().getOrDefault(id, Map.of());
        client.putAll(overrides);
        // A tenant's replication factor applies to MM2's internal topics for it as well.
        int rf =
            Integer.parseInt(
                overrides.getOrDefault(
                    "replication.factor", Integer.toString(DEFAULT_REPLICATION_FACTOR)));
        TenantFlow tf =
            new TenantFlow(
                id,
                source.alias(),
                source.bootstrap(),
                target.alias(),
                target.bootstrap(),
                tenant.topics().include(),
                tenant.groups().include(),
                List.of(),
                tenant.naming(),
                rf,
                null,
                client);
        Map<String, String> extra = tenantOnly(tenant);
        Map<String, String> sourceConnector = tf.source();
        sourceConnector.putAll(extra);
        // Client ids of the tenant's own, so that its quota holds its replication and no other.
        sourceConnector.put("producer.override.client.id", Quotas.clientId(tf.name()));
        sourceConnector.put("consumer.client.id", Quotas.clientId(tf.name()));
        Long quota = file.quotas().get(id);
        if (quota != null) {
          // A throttled client is held back for as long as its last request took to earn: keep
          // each fetch and batch within a second of the quota so that the pace stays even.
          Quotas.capRequestSizes(sourceConnector, quota);
        }
        ConnectPlacement.Placement placement = file.connect().of(id);
        if (placement.delivery() == Delivery.EXACTLY_ONCE) {
          sourceConnector.putAll(EXACTLY_ONCE_SETTINGS);
        }
        Map<String, String> checkpoint = tf.checkpoint();
        checkpoint.putAll(extra);
        out.add(
            new TenantFlowConfigs(
                id,
                source,
                target,
                tf.name(),
                sourceConnector,
                checkpoint,
                tf.connectors().get(tf.name() + ".heartbeat"),
                placement));
      }
    }
    return out;
  }

  /** Tenant keys only our connectors read: the excludes, when present. */
  private static Map<String, String> tenantOnly(Tenant tenant) {
    Map<String, String> extra = new LinkedHashMap<>();
    if (!tenant.topics().exclude().isEmpty()) {
      extra.put("kdr.tenant.topics.exclude", String.join(",", tenant.topics().exclude()));
    }
    if (!tenant.groups().exclude().isEmpty()) {
      extra.put("kdr.tenant.groups.exclude", String.join(",", tenant.groups().exclude()));
    }
    return extra;
  }
}
