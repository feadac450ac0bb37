package dev.kafkadr.config;

import dev.kafkadr.config.ConnectPlacement.Placement;
import dev.kafkadr.tenant.Problem;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code connectClusters} section and each tenant's {@code connectCluster} and {@code
 * delivery}, reporting every problem at its path. The rules come from KIP-618: exactly-once is a
 * worker setting of a whole Connect cluster, so an exactly-once tenant must run on a cluster
 * declared with {@code exactlyOnceSource: enabled}.
 */
final class ConnectClustersParser {

  private static final Set<String> KEYS = Set.of("name", "url", "exactlyOnceSource");
  private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

  private ConnectClustersParser() {}

  /** The declared clusters by name, in file order; problems at {@code connectClusters[i]}. */
  static Map<String, ConnectClusterSpec> clusters(Object node, List<Problem> problems) {
    Map<String, ConnectClusterSpec> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    List<?> list = TenantsFileParser.list(node, "connectClusters", problems);
    for (int i = 0; i < list.size(); i++) {
      String at = "connectClusters[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        problems.add(new Problem(at, "must be a mapping with name, url and exactlyOnceSource"));
        continue;
      }
      TenantsFileParser.unknownKeys(map, KEYS, at, problems);
      String name = TenantsFileParser.string(map.get("name"), at + ".name", problems);
      if (name != null && !name.matches(NAME_PATTERN)) {
        problems.add(new Problem(at + ".name", "\"" + name + "\" must match " + NAME_PATTERN));
        name = null;
      } else if (ConnectPlacement.DEFAULT_CLUSTER.equals(name)) {
        problems.add(
            new Problem(
                at + ".name",
                "\"default\" is the undeclared cluster that --connect and kdr.connect.<target>"
                    + " name; choose another name"));
        name = null;
      } else if (name != null && out.containsKey(name)) {
        problems.add(new Problem(at + ".name", "\"" + name + "\" is declared twice"));
        name = null;
      }
      String url = url(map.get("url"), at + ".url", problems);
      ExactlyOnceSource eos = exactlyOnceSource(map.get("exactlyOnceSource"), at, problems);
      if (name != null && url != null && eos != null) {
        out.put(name, new ConnectClusterSpec(name, url, eos));
      }
    }
    return out;
  }

  private static String url(Object node, String at, List<Problem> problems) {
    String text = TenantsFileParser.string(node, at, problems);
    if (text == null) {
      return null;
    }
    try {
      URI uri = new URI(text);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        problems.add(new Problem(at, "must be an http:// or https:// URL of the Connect REST API"));
      } else if (uri.getRawUserInfo() != null) {
        // Never echo it: the part before '@' is a credential.
        problems.add(
            new Problem(
                at,
                "must not carry credentials (user:password@); Connect REST credentials are not"
                    + " kept in the tenants file"));
      } else if (uri.getHost() == null) {
        problems.add(new Problem(at, "\"" + text + "\" has no host"));
      } else {
        return text;
      }
    } catch (URISyntaxException e) {
      problems.add(new Problem(at, "is not a URL: " + e.getReason()));
    }
    return null;
  }

  private static ExactlyOnceSource exactlyOnceSource(
      Object node, String at, List<Problem> problems) {
    if (node == null) {
      return ExactlyOnceSource.DISABLED;
    }
    ExactlyOnceSource eos = ExactlyOnceSource.of(String.valueOf(node));
    if (eos == null) {
      problems.add(
          new Problem(
              at + ".exactlyOnceSource",
              "\""
                  + node
                  + "\" must be disabled, preparing or enabled: the exactly.once.source.support"
                  + " every worker of the cluster runs with"));
    }
    return eos;
  }

  /**
   * One tenant's place from its {@code connectCluster} and {@code delivery} (either may be null);
   * problems at {@code at.connectCluster} and {@code at.delivery}.
   */
  static Placement placement(
      Object connectCluster,
      Object delivery,
      String at,
      Map<String, ConnectClusterSpec> clusters,
      List<Problem> problems) {
    String cluster = ConnectPlacement.DEFAULT_CLUSTER;
    if (connectCluster != null) {
      String name = String.valueOf(connectCluster);
      if (clusters.containsKey(name)) {
        cluster = name;
      } else {
        problems.add(
            new Problem(
                at + ".connectCluster",
                "unknown Connect cluster \""
                    + name
                    + "\"; declared under connectClusters: "
                    + clusters.keySet().stream().sorted().toList()));
        return null;
      }
    }
    Delivery d = delivery == null ? Delivery.AT_LEAST_ONCE : Delivery.of(String.valueOf(delivery));
    if (d == null) {
      problems.add(
          new Problem(
              at + ".delivery", "\"" + delivery + "\" must be at-least-once or exactly-once"));
      return null;
    }
    if (d == Delivery.EXACTLY_ONCE) {
      String refusal = exactlyOnceRefusal(clusters.get(cluster));
      if (refusal != null) {
        problems.add(new Problem(at + ".delivery", refusal));
        return null;
      }
    }
    return new Placement(cluster, d);
  }

  private static String exactlyOnceRefusal(ConnectClusterSpec cluster) {
    if (cluster == null) {
      return "exactly-once needs a Connect cluster whose workers run"
          + " exactly.once.source.support=enabled (a worker setting for the whole cluster):"
          + " declare it under connectClusters with exactlyOnceSource: enabled and name it in"
          + " this tenant's connectCluster";
    }
    return switch (cluster.exactlyOnceSource()) {
      case ENABLED -> null;
      case PREPARING ->
          "Connect cluster \""
              + cluster.name()
              + "\" is still preparing: once every worker runs"
              + " exactly.once.source.support=enabled, set its exactlyOnceSource to enabled";
      case DISABLED ->
          "Connect cluster \""
              + cluster.name()
              + "\" runs without exactly-once source support (exactlyOnceSource: disabled)";
    };
  }
}
