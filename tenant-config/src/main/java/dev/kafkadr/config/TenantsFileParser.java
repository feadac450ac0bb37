package dev.kafkadr.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kafkadr.tenant.Problem;
import dev.kafkadr.tenant.Tenant;
import dev.kafkadr.tenant.TenantConfigException;
import dev.kafkadr.tenant.TenantParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a tenants file (YAML) and validates all of it before anything is generated or applied:
 * every problem is reported at once, each at its path ({@code clusters[1].security.password}). See
 * {@code configs/README.md} for the format.
 */
public final class TenantsFileParser {

  private static final Set<String> TOP_KEYS =
      Set.of("clusters", "flows", "tenants", "deploy", "traffic", "connectClusters");
  private static final Set<String> DEPLOY_KEYS = Set.of("strimzi", "mskConnect");
  private static final Set<String> CLUSTER_KEYS =
      Set.of("alias", "bootstrap", "security", "region", "environment", "msk");
  private static final Set<String> MSK_KEYS = Set.of("brokerType", "brokers");
  private static final Set<String> FLOW_KEYS =
      Set.of("source", "target", "tenants", Environments.ALLOW);

  /** Tenant keys kafka-dr reads here, beyond what the tenant model knows. */
  private static final Set<String> EXTRA_KEYS =
      Set.of(
          "overrides",
          "quota",
          "access",
          "traffic",
          "connectCluster",
          "delivery",
          "drills",
          "failover",
          "environment");

  private static final String ALIAS_PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private TenantsFileParser() {}

  /** Reads and validates the file at {@code path}. */
  public static TenantsFile parse(Path path) {
    try {
      return parse(Files.readString(path), path.toString());
    } catch (IOException e) {
      throw new TenantConfigException(
          List.of(new Problem(path.toString(), "cannot be read: " + e.getMessage())));
    }
  }

  /**
   * Reads and validates tenants-file text; {@code source} names it in messages.
   *
   * @throws TenantConfigException listing every problem
   */
  public static TenantsFile parse(String text, String source) {
    Object root;
    try {
      root = YAML.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? source
              : source + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
      throw new TenantConfigException(
          List.of(new Problem(where, "not valid YAML: " + oneLine(e.getOriginalMessage()))));
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw new TenantConfigException(
          List.of(new Problem(source, "must be a YAML mapping with clusters, flows and tenants")));
    }
    List<Problem> problems = new ArrayList<>();
    try {
      problems.addAll(DuplicateKeys.find(text));
    } catch (IOException e) {
      problems.add(new Problem(source, "not valid YAML: " + oneLine(e.getMessage())));
    }
    top.keySet().stream()
        .filter(k -> !TOP_KEYS.contains(String.valueOf(k)))
        .forEach(
            k ->
                problems.add(
                    new Problem(
                        String.valueOf(k),
                        "unknown key; allowed: " + TOP_KEYS.stream().sorted().toList())));
    List<ClusterSpec> clusters = clusters(top.get("clusters"), problems);
    Map<String, Map<String, String>> overrides = new LinkedHashMap<>();
    Map<String, Long> quotas = new LinkedHashMap<>();
    Map<String, List<TenantAccess>> access = new LinkedHashMap<>();
    Map<String, Map.Entry<String, Object>> tenantTraffic = new LinkedHashMap<>();
    Map<String, ConnectClusterSpec> connectClusters =
        ConnectClustersParser.clusters(top.get("connectClusters"), problems);
    Map<String, ConnectPlacement.Placement> placements = new LinkedHashMap<>();
    Map<String, List<DrillSchedule>> drills = new LinkedHashMap<>();
    Map<String, AutoFailover> failover = new LinkedHashMap<>();
    List<Tenant> tenants =
        tenants(
            top.get("tenants"),
            new Extras(
                overrides,
                quotas,
                access,
                tenantTraffic,
                connectClusters,
                placements,
                drills,
                failover),
            problems);
    TenantAcls.check(tenants, access, problems);
    Environments.check(top, problems);
    List<FlowSpec> flows = flows(top.get("flows"), clusters, tenants, problems);
    Map<String, Object> deploy = deploy(top, problems);
    Set<String> aliases = new java.util.TreeSet<>();
    clusters.forEach(c -> aliases.add(c.alias()));
    Traffic traffic = TrafficParser.check(top.get("traffic"), tenantTraffic, aliases, problems);
    if (problems.isEmpty()) {
      problems.addAll(FlowGraph.duplicatePaths(flows, tenants));
    }
    if (!problems.isEmpty()) {
      throw new TenantConfigException(problems);
    }
    return new TenantsFile(
        clusters,
        flows,
        tenants,
        overrides,
        quotas,
        access,
        deploy,
        traffic,
        new ConnectPlacement(connectClusters, placements),
        drills,
        failover);
  }

  private static Map<String, Object> deploy(Map<?, ?> top, List<Problem> problems) {
    Object node = top.get("deploy");
    Map<String, Object> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    if (!(node instanceof Map<?, ?> map)) {
      problems.add(new Problem("deploy", "must be a mapping with strimzi and/or mskConnect"));
      return out;
    }
    unknownKeys(map, DEPLOY_KEYS, "deploy", problems);
    map.forEach(
        (k, v) -> {
          if (!(v instanceof Map<?, ?>)) {
            problems.add(new Problem("deploy." + k, "must be a mapping"));
          }
          out.put(String.valueOf(k), v);
        });
    return out;
  }

  private static List<ClusterSpec> clusters(Object node, List<Problem> problems) {
    List<ClusterSpec> out = new ArrayList<>();
    List<?> list = list(node, "clusters", problems);
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "clusters[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        problems.add(new Problem(at, "must be a mapping with alias, bootstrap and security"));
        continue;
      }
      unknownKeys(map, CLUSTER_KEYS, at, problems);
      String alias = string(map.get("alias"), at + ".alias", problems);
      if (alias != null && !alias.matches(ALIAS_PATTERN)) {
        problems.add(new Problem(at + ".alias", "\"" + alias + "\" must match " + ALIAS_PATTERN));
      }
      if (alias != null && seen.putIfAbsent(alias, i) != null) {
        problems.add(
            new Problem(
                at + ".alias",
                "\"" + alias + "\" is already declared at clusters[" + seen.get(alias) + "]"));
      }
      String bootstrap = string(map.get("bootstrap"), at + ".bootstrap", problems);
      Map<String, String> security =
          ClusterSecurity.check(map.get("security"), at + ".security", problems);
      Object region = map.get("region");
      if (region != null && !String.valueOf(region).matches(ALIAS_PATTERN)) {
        problems.add(new Problem(at + ".region", "\"" + region + "\" must match " + ALIAS_PATTERN));
      }
      out.add(
          new ClusterSpec(
              alias,
              bootstrap,
              security,
              region == null ? alias : region.toString(),
              msk(map.get("msk"), at + ".msk", problems)));
    }
    return out;
  }

  /** A cluster's {@code msk: {brokerType, brokers}}, or null when it has none. */
  private static MskCapacity msk(Object node, String at, List<Problem> problems) {
    if (node == null) {
      return null;
    }
    if (!(node instanceof Map<?, ?> map)) {
      problems.add(new Problem(at, "must be a mapping with brokerType and brokers"));
      return null;
    }
    unknownKeys(map, MSK_KEYS, at, problems);
    String type = string(map.get("brokerType"), at + ".brokerType", problems);
    if (type != null && !MskCapacity.known(type)) {
      problems.add(
          new Problem(
              at + ".brokerType",
              "\""
                  + type
                  + "\" is not an MSK Standard broker type kafka-dr knows the limits of"
                  + " (kafka.t3.small, kafka.m5.large ... kafka.m5.24xlarge, kafka.m7g.large ..."
                  + " kafka.m7g.16xlarge) or serverless"));
    }
    Object brokers = map.get("brokers");
    int count = 0;
    if (MskCapacity.SERVERLESS.equals(type)) {
      if (brokers != null) {
        problems.add(new Problem(at + ".brokers", "MSK Serverless has no brokers to count"));
      }
    } else if (!(brokers instanceof Integer n) || n < 1) {
      problems.add(new Problem(at + ".brokers", "must be a whole number of brokers, at least 1"));
    } else {
      count = n;
    }
    return type == null ? null : new MskCapacity(type, count);
  }

  /**
   * What a tenant entry holds beyond the tenant model: its overrides, quota, access and traffic
   * entry (checked once the DNS providers are known, kept with its path), and where its connectors
   * run (checked against the declared Connect clusters).
   */
  private record Extras(
      Map<String, Map<String, String>> overrides,
      Map<String, Long> quotas,
      Map<String, List<TenantAccess>> access,
      Map<String, Map.Entry<String, Object>> traffic,
      Map<String, ConnectClusterSpec> connectClusters,
      Map<String, ConnectPlacement.Placement> placements,
      Map<String, List<DrillSchedule>> drills,
      Map<String, AutoFailover> failover) {}

  private static List<Tenant> tenants(Object node, Extras extras, List<Problem> problems) {
    List<?> list = list(node, "tenants", problems);
    List<Object> withoutOverrides = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> map
          && map.keySet().stream().anyMatch(k -> EXTRA_KEYS.contains(String.valueOf(k)))) {
        Map<Object, Object> copy = new LinkedHashMap<>(map);
        Object connectCluster = copy.remove("connectCluster");
        Object delivery = copy.remove("delivery");
        Object traffic = copy.remove("traffic");
        Object tenantOverrides = copy.remove("overrides");
        Object quota = copy.remove("quota");
        Object access = copy.remove("access");
        Object drills = copy.remove("drills");
        Object failover = copy.remove("failover");
        copy.remove("environment"); // Environments.check reads it
        String id = String.valueOf(map.get("id"));
        if (failover != null) {
          AutoFailover policy =
              AutoFailover.check(failover, "tenants[" + i + "].failover", id, problems);
          if (policy != null) {
            extras.failover().put(id, policy);
          }
        }
        if (drills != null) {
          extras
              .drills()
              .put(id, DrillSchedule.check(drills, "tenants[" + i + "].drills", id, problems));
        }
        if (connectCluster != null || delivery != null) {
          ConnectPlacement.Placement placement =
              ConnectClustersParser.placement(
                  connectCluster,
                  delivery,
                  "tenants[" + i + "]",
                  extras.connectClusters(),
                  problems);
          if (placement != null) {
            extras.placements().put(id, placement);
          }
        }
        if (traffic != null) {
          extras.traffic().put(id, Map.entry("tenants[" + i + "].traffic", traffic));
        }
        if (access != null) {
          extras
              .access()
              .put(id, TenantAccess.check(access, "tenants[" + i + "].access", problems));
        }
        if (tenantOverrides != null) {
          extras
              .overrides()
              .put(
                  id,
                  TenantOverrides.check(tenantOverrides, "tenants[" + i + "].overrides", problems));
        }
        if (quota != null) {
          Long bytes = Quotas.check(quota, "tenants[" + i + "].quota", problems);
          if (bytes != null) {
            extras.quotas().put(id, bytes);
          }
        }
        withoutOverrides.add(copy);
      } else {
        withoutOverrides.add(list.get(i));
      }
    }
    try {
      return TenantParser.parse(withoutOverrides, "tenants");
    } catch (TenantConfigException e) {
      problems.addAll(e.problems());
      return List.of();
    }
  }

  private static List<FlowSpec> flows(
      Object node, List<ClusterSpec> clusters, List<Tenant> tenants, List<Problem> problems) {
    List<?> list = list(node, "flows", problems);
    Set<String> aliases = new java.util.HashSet<>();
    clusters.forEach(c -> aliases.add(c.alias()));
    Set<String> ids = new java.util.HashSet<>();
    tenants.forEach(t -> ids.add(t.id()));
    List<FlowSpec> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "flows[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        problems.add(new Problem(at, "must be a mapping with source, target and tenants"));
        continue;
      }
      unknownKeys(map, FLOW_KEYS, at, problems);
      String source = string(map.get("source"), at + ".source", problems);
      String target = string(map.get("target"), at + ".target", problems);
      for (String[] end : new String[][] {{"source", source}, {"target", target}}) {
        if (end[1] != null && !aliases.contains(end[1])) {
          problems.add(
              new Problem(
                  at + "." + end[0],
                  "unknown cluster alias \""
                      + end[1]
                      + "\"; declared: "
                      + aliases.stream().sorted().toList()));
        }
      }
      if (source != null && source.equals(target)) {
        problems.add(
            new Problem(at + ".target", "a flow cannot replicate \"" + source + "\" into itself"));
      }
      if (source != null && target != null && seen.putIfAbsent(source + "->" + target, i) != null) {
        problems.add(
            new Problem(
                at,
                "flow "
                    + source
                    + " -> "
                    + target
                    + " is already declared at flows["
                    + seen.get(source + "->" + target)
                    + "]"));
      }
      List<String> flowTenants = new ArrayList<>();
      List<?> names = list(map.get("tenants"), at + ".tenants", problems);
      for (int j = 0; j < names.size(); j++) {
        String id = string(names.get(j), at + ".tenants[" + j + "]", problems);
        if (id != null && !tenants.isEmpty() && !ids.contains(id)) {
          problems.add(new Problem(at + ".tenants[" + j + "]", "unknown tenant \"" + id + "\""));
        }
        flowTenants.add(id);
      }
      out.add(new FlowSpec(source, target, flowTenants));
    }
    return out;
  }

  /** SnakeYAML's message without its multi-line source excerpt. */
  private static String oneLine(String message) {
    return message
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith(" ") && !l.trim().equals("^"))
        .reduce((a, b) -> a + "; " + b)
        .orElse(message);
  }

  static List<?> list(Object node, String at, List<Problem> problems) {
    if (node instanceof List<?> list) {
      return list;
    }
    problems.add(new Problem(at, node == null ? "is missing" : "must be a list"));
    return List.of();
  }

  static String string(Object node, String at, List<Problem> problems) {
    if (node instanceof String s && !s.isBlank()) {
      return s;
    }
    problems.add(new Problem(at, node == null ? "is missing" : "must be a non-empty string"));
    return null;
  }

  static void unknownKeys(Map<?, ?> map, Set<String> allowed, String at, List<Problem> problems) {
    for (Object key : map.keySet()) {
      if (!allowed.contains(String.valueOf(key))) {
        problems.add(
            new Problem(
                at + "." + key, "unknown key; allowed: " + allowed.stream().sorted().toList()));
      }
    }
  }
}
