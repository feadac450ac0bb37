package dev.kafkadr.config;

import dev.kafkadr.tenant.Tenant;
import java.util.List;
import java.util.Map;

/**
 * A validated tenants file: the clusters, the flows between them, the tenants, and each tenant's
 * allowed connector overrides.
 */
public record TenantsFile(
    List<ClusterSpec> clusters,
    List<FlowSpec> flows,
    List<Tenant> tenants,
    Map<String, Map<String, String>> overrides) {}
