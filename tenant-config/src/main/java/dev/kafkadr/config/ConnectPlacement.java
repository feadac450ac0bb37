package dev.kafkadr.config;

import java.util.Map;
import java.util.Optional;

/**
 * Where each tenant's connectors run and what delivery its copies promise: the declared Connect
 * clusters and, per tenant, its cluster and delivery. A tenant without an entry runs on the default
 * Connect cluster at least once.
 *
 * @param clusters the declared Connect clusters by name
 * @param tenants per tenant id, where it runs and its delivery
 */
public record ConnectPlacement(
    Map<String, ConnectClusterSpec> clusters, Map<String, Placement> tenants) {

  /** The name of the undeclared Connect cluster, the one {@code --connect URL} points at. */
  public static final String DEFAULT_CLUSTER = "default";

  /** No declared clusters: every tenant on the default cluster, at least once. */
  public static final ConnectPlacement NONE = new ConnectPlacement(Map.of(), Map.of());

  /**
   * One tenant's place.
   *
   * @param connectCluster the declared Connect cluster it runs on, or {@link #DEFAULT_CLUSTER}
   * @param delivery what its copies promise
   */
  public record Placement(String connectCluster, Delivery delivery) {

    /** A tenant that says nothing: the default cluster, at least once. */
    public static final Placement DEFAULT = new Placement(DEFAULT_CLUSTER, Delivery.AT_LEAST_ONCE);
  }

  /** Where {@code tenant} runs and its delivery. */
  public Placement of(String tenant) {
    return tenants.getOrDefault(tenant, Placement.DEFAULT);
  }

  /** The declared cluster {@code tenant} runs on; empty for the default cluster. */
  public Optional<ConnectClusterSpec> clusterOf(String tenant) {
    return Optional.ofNullable(clusters.get(of(tenant).connectCluster()));
  }
}
