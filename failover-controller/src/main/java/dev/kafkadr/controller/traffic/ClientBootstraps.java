package dev.kafkadr.controller.traffic;

import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.config.Traffic;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A cluster's bootstrap servers for the bootstrap registry: read from AWS for a cluster the tenants
 * file declares as MSK (once, then kept), from the tenants file otherwise. When AWS cannot be
 * asked, the tenants file's bootstrap is used and the reason logged; it is asked again on the next
 * lookup.
 */
public final class ClientBootstraps implements Function<ClusterSpec, String> {

  private static final Logger LOG = Logger.getLogger(ClientBootstraps.class);

  private final Traffic traffic;
  private final Function<Traffic.Msk, MskBootstrapDiscovery> discovery;
  private final Map<String, String> known = new ConcurrentHashMap<>();

  /**
   * Bootstraps for the clusters of {@code traffic}; {@code discovery} gives the discovery for an
   * MSK cluster's region.
   */
  public ClientBootstraps(Traffic traffic, Function<Traffic.Msk, MskBootstrapDiscovery> discovery) {
    this.traffic = traffic;
    this.discovery = discovery;
  }

  /** Discovery through AWS's own endpoints, with the SDK's default credentials. */
  public static ClientBootstraps fromAws(Traffic traffic) {
    return new ClientBootstraps(
        traffic,
        msk ->
            new MskBootstrapDiscovery(
                MskBootstrapDiscovery.client(
                    Region.of(msk.region()), null, DefaultCredentialsProvider.builder().build())));
  }

  @Override
  public String apply(ClusterSpec cluster) {
    Traffic.ClusterTraffic t = traffic.clusters().get(cluster.alias());
    if (t != null && t.clientBootstrap() != null) {
      return t.clientBootstrap();
    }
    if (t == null || t.msk() == null) {
      return cluster.bootstrap();
    }
    String cached = known.get(cluster.alias());
    if (cached != null) {
      return cached;
    }
    try {
      String servers =
          discovery
              .apply(t.msk())
              .bootstrapServers(
                  t.msk().clusterArn(), MskBootstrapDiscovery.Auth.valueOf(t.msk().auth()));
      known.put(cluster.alias(), servers);
      return servers;
    } catch (RuntimeException e) {
      LOG.warnf(
          "bootstrap servers of %s not read from MSK (%s); using the tenants file's %s",
          cluster.alias(), e.getMessage(), cluster.bootstrap());
      return cluster.bootstrap();
    }
  }
}
