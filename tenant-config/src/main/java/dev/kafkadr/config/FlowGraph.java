package dev.kafkadr.config;

import dev.kafkadr.tenant.Problem;
import dev.kafkadr.tenant.Tenant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Checks the flow topology per tenant. A tenant's records must reach each cluster by at most one
 * path: with two (a->c and a->b->c), c receives a's records twice. Two-way pairs (a->b, b->a) are
 * fine: the provenance filter drops records coming back to their origin, and so it does around any
 * longer cycle; it cannot remove a second copy arriving by another path.
 */
final class FlowGraph {

  private FlowGraph() {}

  /** A problem for each tenant and pair of clusters joined by more than one path. */
  static List<Problem> duplicatePaths(List<FlowSpec> flows, List<Tenant> tenants) {
    List<Problem> problems = new ArrayList<>();
    for (int t = 0; t < tenants.size(); t++) {
      String id = tenants.get(t).id();
      Map<String, List<String>> edges = new HashMap<>();
      for (FlowSpec flow : flows) {
        if (flow.tenants().contains(id)) {
          edges.computeIfAbsent(flow.source(), k -> new ArrayList<>()).add(flow.target());
        }
      }
      for (String start : edges.keySet()) {
        Map<String, List<String>> pathsTo = new HashMap<>();
        walk(start, start, edges, new LinkedHashSet<>(List.of(start)), pathsTo);
        for (Map.Entry<String, List<String>> e : pathsTo.entrySet()) {
          if (e.getValue().size() > 1) {
            problems.add(
                new Problem(
                    "tenants[" + t + "]",
                    "tenant \""
                        + id
                        + "\" reaches \""
                        + e.getKey()
                        + "\" from \""
                        + start
                        + "\" by "
                        + e.getValue().size()
                        + " paths "
                        + e.getValue()
                        + ": \""
                        + e.getKey()
                        + "\" would receive each record twice;"
                        + " remove one of the flows for this tenant"));
          }
        }
      }
    }
    return problems;
  }

  private static void walk(
      String start,
      String at,
      Map<String, List<String>> edges,
      LinkedHashSet<String> path,
      Map<String, List<String>> pathsTo) {
    for (String next : edges.getOrDefault(at, List.of())) {
      if (path.contains(next)) {
        continue;
      }
      path.add(next);
      pathsTo.computeIfAbsent(next, k -> new ArrayList<>()).add(String.join(" -> ", path));
      walk(start, next, edges, path, pathsTo);
      path.remove(next);
    }
  }
}
