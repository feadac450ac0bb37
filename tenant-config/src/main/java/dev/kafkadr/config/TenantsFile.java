package dev.kafkadr.config;

import dev.kafkadr.tenant.Tenant;
import java.util.List;
import java.util.Map;

/**
 * A validated tenants file: the clusters, the flows between them, the tenants, each tenant's
 * allowed connector overrides and replication quota, and the optional deployment settings.
 *
 * @param clusters the clusters, declared once
 * @param flows source-to-target flows and the tenants each carries
 * @param tenants the tenants
 * @param overrides per tenant id, its allowed connector overrides
 * @param quotas per tenant id, its replication quota in bytes per second per broker (tenants
 *     without one are absent)
 * @param access per tenant id, who of the tenant gets which ACLs on the targets (tenants without
 *     any are absent)
 * @param deploy the {@code deploy} section as read: settings only some output formats need
 *     (Strimzi, MSK Connect), checked when that format is rendered
 * @param traffic how the controller moves each tenant's clients (DNS, MSK discovery); {@link
 *     Traffic#NONE} without a {@code traffic} section
 * @param connect the declared Connect clusters and where each tenant runs, with its delivery;
 *     {@link ConnectPlacement#NONE} without a {@code connectClusters} section
 * @param drills per tenant id, its scheduled drills (tenants without any are absent)
 * @param failover per tenant id, its automatic failover policy (tenants without a {@code failover}
 *     entry are absent: theirs is off)
 */
public record TenantsFile(
    List<ClusterSpec> clusters,
    List<FlowSpec> flows,
    List<Tenant> tenants,
    Map<String, Map<String, String>> overrides,
    Map<String, Long> quotas,
    Map<String, List<TenantAccess>> access,
    Map<String, Object> deploy,
    Traffic traffic,
    ConnectPlacement connect,
    Map<String, List<DrillSchedule>> drills,
    Map<String, AutoFailover> failover) {

  /** The same file with {@code flows} instead of its own (to render one flow, e.g. a reverse). */
  public TenantsFile withFlows(List<FlowSpec> flows) {
    return new TenantsFile(
        clusters, flows, tenants, overrides, quotas, access, deploy, traffic, connect, drills,
        failover);
  }

  /** The tenant's automatic failover policy; {@link AutoFailover#off} when the file gives none. */
  public AutoFailover failover(String tenant) {
    return failover.getOrDefault(tenant, AutoFailover.off(tenant));
  }

  /** The cluster declared with {@code alias}. */
  public ClusterSpec cluster(String alias) {
    return clusters.stream()
        .filter(c -> c.alias().equals(alias))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no cluster " + alias));
  }
}
