package dev.kafkadr.config;

import static dev.kafkadr.config.TenantsFileParser.string;
import static dev.kafkadr.config.TenantsFileParser.unknownKeys;

import dev.kafkadr.config.Traffic.ClusterTraffic;
import dev.kafkadr.config.Traffic.DnsProvider;
import dev.kafkadr.config.Traffic.DnsType;
import dev.kafkadr.config.Traffic.Msk;
import dev.kafkadr.config.Traffic.Routing;
import dev.kafkadr.config.Traffic.TenantTraffic;
import dev.kafkadr.tenant.Durations;
import dev.kafkadr.tenant.Problem;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks the tenants file's {@code traffic} section and the tenants' {@code traffic} entries. */
final class TrafficParser {

  private static final Set<String> KEYS = Set.of("dns", "clusters");
  private static final Set<String> RFC2136_KEYS = Set.of("type", "server", "zone", "tsig");
  private static final Set<String> TSIG_KEYS = Set.of("name", "algorithm", "secret");
  private static final Set<String> ROUTE53_KEYS =
      Set.of("type", "hostedZoneId", "routing", "endpoint");
  private static final Set<String> CLUSTER_KEYS = Set.of("dnsTarget", "clientBootstrap", "msk");
  private static final Set<String> MSK_KEYS = Set.of("clusterArn", "region", "auth");
  private static final Set<String> TENANT_KEYS = Set.of("dns", "record", "ttl");
  private static final Set<String> MSK_AUTH = Set.of("IAM", "TLS", "SCRAM", "PLAINTEXT");
  private static final Set<String> TSIG_ALGORITHMS =
      Set.of("hmac-md5", "hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512");
  private static final Pattern DNS_NAME =
      Pattern.compile("([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.)+");
  private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:kafka:[a-z0-9-]+:\\d{12}:.+");
  private static final Duration MIN_TTL = Duration.ofSeconds(1);
  private static final Duration MAX_TTL = Duration.ofDays(2);

  private TrafficParser() {}

  /**
   * The traffic settings: {@code node} is the top-level section, {@code tenantEntries} each
   * tenant's {@code traffic} entry by tenant id with its path in the file.
   */
  static Traffic check(
      Object node,
      Map<String, Map.Entry<String, Object>> tenantEntries,
      Set<String> aliases,
      List<Problem> problems) {
    Map<String, DnsProvider> dns = new LinkedHashMap<>();
    Map<String, ClusterTraffic> clusters = new LinkedHashMap<>();
    if (node != null) {
      if (node instanceof Map<?, ?> map) {
        unknownKeys(map, KEYS, "traffic", problems);
        mapping(map.get("dns"), "traffic.dns", problems)
            .forEach(
                (name, provider) -> {
                  DnsProvider p = provider(name, provider, "traffic.dns." + name, problems);
                  if (p != null) {
                    dns.put(name, p);
                  }
                });
        mapping(map.get("clusters"), "traffic.clusters", problems)
            .forEach(
                (alias, entry) -> {
                  String at = "traffic.clusters." + alias;
                  if (!aliases.contains(alias)) {
                    problems.add(
                        new Problem(
                            at,
                            "unknown cluster alias; declared: "
                                + aliases.stream().sorted().toList()));
                  }
                  ClusterTraffic c = cluster(alias, entry, at, problems);
                  if (c != null) {
                    clusters.put(alias, c);
                  }
                });
      } else {
        problems.add(new Problem("traffic", "must be a mapping with dns and/or clusters"));
      }
    }
    Map<String, TenantTraffic> tenants = new LinkedHashMap<>();
    tenantEntries.forEach(
        (id, entry) -> {
          TenantTraffic t = tenant(id, entry.getValue(), entry.getKey(), dns, problems);
          if (t != null) {
            tenants.put(id, t);
          }
        });
    return new Traffic(dns, clusters, tenants);
  }

  private static DnsProvider provider(String name, Object node, String at, List<Problem> problems) {
    if (!(node instanceof Map<?, ?> map)) {
      problems.add(new Problem(at, "must be a mapping with type and its settings"));
      return null;
    }
    String type = string(map.get("type"), at + ".type", problems);
    if (type == null) {
      return null;
    }
    switch (type) {
      case "rfc2136" -> {
        unknownKeys(map, RFC2136_KEYS, at, problems);
        String server = string(map.get("server"), at + ".server", problems);
        if (server != null && !server.matches("[A-Za-z0-9.:\\[\\]-]+(:\\d{1,5})?")) {
          problems.add(new Problem(at + ".server", "must be host or host:port"));
        }
        String zone = dnsName(map.get("zone"), at + ".zone", problems);
        Map<String, Object> tsig = mapping(map.get("tsig"), at + ".tsig", problems);
        unknownKeys(tsig, TSIG_KEYS, at + ".tsig", problems);
        String keyName = string(tsig.get("name"), at + ".tsig.name", problems);
        String algorithm = string(tsig.get("algorithm"), at + ".tsig.algorithm", problems);
        if (algorithm != null && !TSIG_ALGORITHMS.contains(algorithm.toLowerCase(Locale.ROOT))) {
          problems.add(
              new Problem(
                  at + ".tsig.algorithm",
                  "\""
                      + algorithm
                      + "\" is not one of "
                      + TSIG_ALGORITHMS.stream().sorted().toList()));
        }
        String secret = secretReference(tsig.get("secret"), at + ".tsig.secret", problems);
        return new DnsProvider(
            name, DnsType.RFC2136, server, zone, keyName, algorithm, secret, null, null, null);
      }
      case "route53" -> {
        unknownKeys(map, ROUTE53_KEYS, at, problems);
        String zoneId = string(map.get("hostedZoneId"), at + ".hostedZoneId", problems);
        Routing routing = Routing.SIMPLE;
        if (map.get("routing") != null) {
          String r = String.valueOf(map.get("routing"));
          try {
            routing = Routing.valueOf(r.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            problems.add(new Problem(at + ".routing", "\"" + r + "\" is not simple or weighted"));
          }
        }
        String endpoint = null;
        if (map.get("endpoint") != null) {
          endpoint = string(map.get("endpoint"), at + ".endpoint", problems);
          if (endpoint != null && !endpoint.matches("https?://.+")) {
            problems.add(new Problem(at + ".endpoint", "must be an http(s) URL"));
          }
        }
        return new DnsProvider(
            name, DnsType.ROUTE53, null, null, null, null, null, zoneId, routing, endpoint);
      }
      default -> {
        problems.add(new Problem(at + ".type", "\"" + type + "\" is not rfc2136 or route53"));
        return null;
      }
    }
  }

  private static ClusterTraffic cluster(
      String alias, Object node, String at, List<Problem> problems) {
    if (!(node instanceof Map<?, ?> map)) {
      problems.add(new Problem(at, "must be a mapping with dnsTarget, clientBootstrap and/or msk"));
      return null;
    }
    unknownKeys(map, CLUSTER_KEYS, at, problems);
    String target =
        map.get("dnsTarget") == null
            ? null
            : dnsName(map.get("dnsTarget"), at + ".dnsTarget", problems);
    Msk msk = null;
    if (map.get("msk") != null) {
      Map<String, Object> m = mapping(map.get("msk"), at + ".msk", problems);
      unknownKeys(m, MSK_KEYS, at + ".msk", problems);
      String arn = string(m.get("clusterArn"), at + ".msk.clusterArn", problems);
      if (arn != null && !ARN.matcher(arn).matches()) {
        problems.add(new Problem(at + ".msk.clusterArn", "is not an MSK cluster ARN"));
      }
      String region = string(m.get("region"), at + ".msk.region", problems);
      String auth = string(m.get("auth"), at + ".msk.auth", problems);
      if (auth != null && !MSK_AUTH.contains(auth)) {
        problems.add(
            new Problem(
                at + ".msk.auth",
                "\"" + auth + "\" is not one of " + MSK_AUTH.stream().sorted().toList()));
      }
      msk = new Msk(arn, region, auth);
    }
    String clients =
        map.get("clientBootstrap") == null
            ? null
            : string(map.get("clientBootstrap"), at + ".clientBootstrap", problems);
    return new ClusterTraffic(alias, target, clients, msk);
  }

  private static TenantTraffic tenant(
      String id, Object node, String at, Map<String, DnsProvider> dns, List<Problem> problems) {
    if (!(node instanceof Map<?, ?> map)) {
      problems.add(new Problem(at, "must be a mapping with dns, record and ttl"));
      return null;
    }
    unknownKeys(map, TENANT_KEYS, at, problems);
    String provider = string(map.get("dns"), at + ".dns", problems);
    if (provider != null && !dns.containsKey(provider)) {
      problems.add(
          new Problem(
              at + ".dns",
              "no DNS provider \"" + provider + "\" in traffic.dns; declared: " + dns.keySet()));
    }
    String record = dnsName(map.get("record"), at + ".record", problems);
    DnsProvider p = provider == null ? null : dns.get(provider);
    if (record != null
        && p != null
        && p.zone() != null
        && !(record.equals(p.zone()) || record.endsWith("." + p.zone()))) {
      problems.add(
          new Problem(at + ".record", record + " is not in zone " + p.zone() + " of " + provider));
    }
    Duration ttl = Duration.ofSeconds(30);
    if (map.get("ttl") != null) {
      String text = String.valueOf(map.get("ttl"));
      ttl = Durations.parse(text).orElse(null);
      if (ttl == null || ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
        problems.add(
            new Problem(
                at + ".ttl", "\"" + text + "\" must be a duration from 1s to 2d, e.g. 30s"));
        ttl = null;
      }
    }
    return new TenantTraffic(id, provider, record, ttl);
  }

  /** A fully qualified DNS name: labels and a final dot. */
  private static String dnsName(Object node, String at, List<Problem> problems) {
    String name = string(node, at, problems);
    if (name != null && !DNS_NAME.matcher(name).matches()) {
      problems.add(
          new Problem(at, "\"" + name + "\" must be a fully qualified DNS name ending in a dot"));
      return null;
    }
    return name;
  }

  private static String secretReference(Object node, String at, List<Problem> problems) {
    if (node instanceof String s && Secrets.isReference(s)) {
      return s.trim();
    }
    problems.add(
        new Problem(
            at,
            node == null
                ? "is missing"
                : "must be a ConfigProvider reference such as ${file:/path:key} or"
                    + " ${env:NAME}, never the secret itself"));
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapping(Object node, String at, List<Problem> problems) {
    if (node == null) {
      return Map.of();
    }
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<Object, Object>) map).forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    }
    problems.add(new Problem(at, "must be a mapping"));
    return Map.of();
  }
}
