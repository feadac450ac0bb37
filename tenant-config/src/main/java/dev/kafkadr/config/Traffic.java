package dev.kafkadr.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How the controller moves each tenant's clients: the DNS providers it may change, what a tenant's
 * bootstrap name points at while the tenant is on each cluster, MSK clusters whose bootstrap
 * servers are discovered, and each tenant's bootstrap record. Read from the tenants file's {@code
 * traffic} section and the tenants' own {@code traffic} entries; see {@code configs/README.md}.
 *
 * @param dns DNS providers by the name tenants use for them
 * @param clusters per cluster alias, its DNS target and MSK identity (clusters without any are
 *     absent)
 * @param tenants per tenant id, its bootstrap record (tenants moved only through the bootstrap
 *     registry are absent)
 */
public record Traffic(
    Map<String, DnsProvider> dns,
    Map<String, ClusterTraffic> clusters,
    Map<String, TenantTraffic> tenants) {

  /** No DNS at all: every tenant moves through the bootstrap registry only. */
  public static final Traffic NONE = new Traffic(Map.of(), Map.of(), Map.of());

  /** The kinds of DNS provider kafka-dr can change. */
  public enum DnsType {
    /** RFC 2136 dynamic update signed with TSIG (BIND, PowerDNS, Windows DNS with TSIG). */
    RFC2136,
    /** Amazon Route 53, through the AWS SDK. */
    ROUTE53
  }

  /** How Route 53 holds a tenant's bootstrap name. */
  public enum Routing {
    /** One CNAME, rewritten on a switch. */
    SIMPLE,
    /**
     * One weighted CNAME per cluster (set identifier = cluster alias); a switch gives the new
     * cluster weight 1 and every other 0 in one change batch.
     */
    WEIGHTED
  }

  /**
   * A DNS provider.
   *
   * @param name its name in the tenants file
   * @param type which kind
   * @param server RFC 2136: {@code host:port} of the primary server
   * @param zone RFC 2136: the zone updates are sent for
   * @param tsigName RFC 2136: TSIG key name, or a ConfigProvider reference to it, read with the
   *     secret at each change (a key rotated under a new name)
   * @param tsigAlgorithm RFC 2136: TSIG algorithm, e.g. {@code hmac-sha256}
   * @param tsigSecret RFC 2136: a ConfigProvider reference to the base64 secret, never the secret
   * @param hostedZoneId Route 53: the hosted zone
   * @param routing Route 53: simple or weighted records
   * @param endpoint Route 53: an endpoint instead of AWS's (VPC endpoint), or null
   */
  public record DnsProvider(
      String name,
      DnsType type,
      String server,
      String zone,
      String tsigName,
      String tsigAlgorithm,
      String tsigSecret,
      String hostedZoneId,
      Routing routing,
      String endpoint) {}

  /**
   * A cluster's part in traffic switching.
   *
   * @param alias the cluster
   * @param dnsTarget the name a tenant's bootstrap record points at while the tenant is here
   * @param clientBootstrap the bootstrap servers tenants' applications use, when they connect
   *     through another listener than replication (the {@code bootstrap} above), or null
   * @param msk the MSK cluster behind the alias, or null
   */
  public record ClusterTraffic(String alias, String dnsTarget, String clientBootstrap, Msk msk) {}

  /**
   * An MSK cluster whose bootstrap servers are read from AWS instead of the tenants file.
   *
   * @param clusterArn the cluster's ARN
   * @param region its AWS region
   * @param auth which of its listeners clients use: IAM, TLS, SCRAM or PLAINTEXT
   */
  public record Msk(String clusterArn, String region, String auth) {}

  /**
   * A tenant's bootstrap record.
   *
   * @param tenant the tenant
   * @param dns the provider's name
   * @param record the fully qualified bootstrap name clients use, ending in a dot
   * @param ttl the record's TTL
   */
  public record TenantTraffic(String tenant, String dns, String record, Duration ttl) {}

  /** The tenant's bootstrap record, when it has one. */
  public Optional<TenantTraffic> tenant(String id) {
    return Optional.ofNullable(tenants.get(id));
  }

  /**
   * What a tenant's record points at while the tenant is on {@code cluster}: its {@code dnsTarget}
   * when declared, otherwise the host of its first bootstrap server (fully qualified).
   */
  public String dnsTarget(ClusterSpec cluster) {
    ClusterTraffic declared = clusters.get(cluster.alias());
    if (declared != null && declared.dnsTarget() != null) {
      return declared.dnsTarget();
    }
    String first = cluster.bootstrap().split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    String host = colon > 0 ? first.substring(0, colon) : first;
    return host.endsWith(".") ? host : host + ".";
  }
}
