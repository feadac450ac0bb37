package dev.kafkadr.config;

import dev.kafkadr.tenant.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who of a tenant may do what on the clusters its records are copied to: {@code access:
 * [{principal: User:payments-app, role: consumer}]}. Consumers may read the tenant's topics there
 * (local names and the copies' names) and use its groups; producers may write its topics. These are
 * the ACLs a tenant's clients need to carry on after a failover.
 *
 * @param principal a Kafka principal, {@code User:name}
 * @param role consumer or producer
 */
public record TenantAccess(String principal, Role role) {

  /** What a principal does with the tenant's topics. */
  public enum Role {
    /** Reads the tenant's topics with the tenant's groups. */
    CONSUMER,
    /** Writes the tenant's topics. */
    PRODUCER
  }

  private static final Set<String> KEYS = Set.of("principal", "role");

  /** Reads an {@code access} list, adding a problem for every bad entry. */
  static List<TenantAccess> check(Object node, String at, List<Problem> problems) {
    List<TenantAccess> out = new ArrayList<>();
    if (!(node instanceof List<?> list)) {
      problems.add(
          new Problem(at, "must be a list such as [{principal: User:app, role: consumer}]"));
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      String where = at + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        problems.add(new Problem(where, "must be a mapping with principal and role"));
        continue;
      }
      TenantsFileParser.unknownKeys(map, KEYS, where, problems);
      String principal =
          TenantsFileParser.string(map.get("principal"), where + ".principal", problems);
      if (principal != null && !principal.matches("[A-Za-z]+:[^\\s*]+")) {
        problems.add(
            new Problem(
                where + ".principal",
                "\""
                    + principal
                    + "\" must be a Kafka principal such as User:payments-app"
                    + " (no wildcards)"));
        principal = null;
      }
      String role = TenantsFileParser.string(map.get("role"), where + ".role", problems);
      Role parsed = null;
      if ("consumer".equals(role)) {
        parsed = Role.CONSUMER;
      } else if ("producer".equals(role)) {
        parsed = Role.PRODUCER;
      } else if (role != null) {
        problems.add(new Problem(where + ".role", "\"" + role + "\" must be consumer or producer"));
      }
      if (principal != null && parsed != null) {
        out.add(new TenantAccess(principal, parsed));
      }
    }
    return out;
  }
}
