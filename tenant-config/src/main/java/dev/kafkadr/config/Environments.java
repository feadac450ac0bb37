package dev.kafkadr.config;

import dev.kafkadr.tenant.Problem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tenants file's environments: each cluster and each tenant may say {@code environment: prod},
 * {@code test} or {@code dev}. A flow whose source cluster is prod, or that carries a prod tenant,
 * may not copy into a cluster of another environment unless the flow says {@code
 * allowProdToNonProd: true}: production data lands in a test or development cluster only when
 * someone declared it. A cluster or tenant without an environment is never taken for one.
 */
final class Environments {

  /** The environments a cluster or tenant may name. */
  static final Set<String> NAMES = Set.of("prod", "test", "dev");

  /** The flow key that declares a prod-to-non-prod copy intended. */
  static final String ALLOW = "allowProdToNonProd";

  private Environments() {}

  /**
   * Adds a problem for each environment that is not one of {@link #NAMES}, each {@link #ALLOW} that
   * is not a boolean, and each undeclared flow copying prod data into a non-prod cluster.
   *
   * @param top the file's top mapping as read
   * @param problems where the problems go, each with its path
   */
  static void check(Map<?, ?> top, List<Problem> problems) {
    Map<String, String> clusters = environments(top.get("clusters"), "alias", "clusters", problems);
    Map<String, String> tenants = environments(top.get("tenants"), "id", "tenants", problems);
    if (!(top.get("flows") instanceof List<?> flows)) {
      return;
    }
    for (int i = 0; i < flows.size(); i++) {
      if (!(flows.get(i) instanceof Map<?, ?> flow)) {
        continue;
      }
      String at = "flows[" + i + "]";
      Object allow = flow.get(ALLOW);
      if (allow != null && !(allow instanceof Boolean)) {
        problems.add(new Problem(at + "." + ALLOW, "must be true or false, not \"" + allow + "\""));
        continue;
      }
      String target = clusters.get(String.valueOf(flow.get("target")));
      if (Boolean.TRUE.equals(allow) || target == null || "prod".equals(target)) {
        continue;
      }
      String source = String.valueOf(flow.get("source"));
      if ("prod".equals(clusters.get(source))) {
        problems.add(
            new Problem(
                at + ".target",
                refusal("cluster \"" + source + "\"", "\"" + flow.get("target") + "\"", target)));
        continue;
      }
      if (flow.get("tenants") instanceof List<?> carried) {
        for (int j = 0; j < carried.size(); j++) {
          String tenant = String.valueOf(carried.get(j));
          if ("prod".equals(tenants.get(tenant))) {
            problems.add(
                new Problem(
                    at + ".tenants[" + j + "]",
                    refusal(
                        "tenant \"" + tenant + "\"",
                        "cluster \"" + flow.get("target") + "\"",
                        target)));
          }
        }
      }
    }
  }

  /** Why {@code what}, prod, may not be copied into {@code into}, a cluster of {@code env}. */
  private static String refusal(String what, String into, String env) {
    return what
        + " is prod and "
        + into
        + " is "
        + env
        + ": copying production data into a "
        + env
        + " cluster needs \""
        + ALLOW
        + ": true\" on the flow";
  }

  /** Each entry's environment by its {@code idKey}, checked; entries without one are absent. */
  private static Map<String, String> environments(
      Object node, String idKey, String section, List<Problem> problems) {
    Map<String, String> out = new HashMap<>();
    if (!(node instanceof List<?> list)) {
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> entry) || entry.get("environment") == null) {
        continue;
      }
      String env = String.valueOf(entry.get("environment"));
      if (!NAMES.contains(env)) {
        problems.add(
            new Problem(
                section + "[" + i + "].environment",
                "\"" + env + "\" is not one of " + new java.util.TreeSet<>(NAMES)));
        continue;
      }
      out.put(String.valueOf(entry.get(idKey)), env);
    }
    return out;
  }
}
