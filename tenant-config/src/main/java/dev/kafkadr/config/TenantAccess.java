package dev.kafkadr.config;

import dev.kafkadr.tenant.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who of a tenant may do what on the clusters its records are copied to: {@code access:
 * [{principal: User:payments-app, role: consumer}]}. Consumers may read the tenant's topics there
 * (local names and the copies' names) and use its groups; producers may write its topics, and a
 * transactional producer declares the prefix of its transactional ids ({@code transactionalIds:
 * payments-}: a Kafka Streams application's is its {@code application.id} followed by '-'). These
 * are the ACLs a tenant's clients need to carry on after a failover, and what a fence denies.
 *
 * @param principal a Kafka principal, {@code User:name}
 * @param role consumer or producer
 * @param transactionalIdPrefix the literal prefix of a producer's transactional ids, or null
 */
public record TenantAccess(String principal, Role role, String transactionalIdPrefix) {

  /** What a principal does with the tenant's topics. */
  public enum Role {
    /** Reads the tenant's topics with the tenant's groups. */
    CONSUMER,
    /** Writes the tenant's topics. */
    PRODUCER
  }

  private static final Set<String> KEYS = Set.of("principal", "role", "transactionalIds");

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
      String prefix = transactionalIds(map.get("transactionalIds"), where, parsed, problems);
      if (principal != null && parsed != null) {
        out.add(new TenantAccess(principal, parsed, prefix));
      }
    }
    return out;
  }

  /** A producer's transactional id prefix: a literal, e.g. {@code payments-}; null when absent. */
  private static String transactionalIds(
      Object node, String where, Role role, List<Problem> problems) {
    if (node == null) {
      return null;
    }
    String at = where + ".transactionalIds";
    if (role != Role.PRODUCER) {
      problems.add(new Problem(at, "only a producer has transactional ids"));
      return null;
    }
    if (!(node instanceof String prefix) || !prefix.matches("[A-Za-z0-9._-]{2,200}")) {
      problems.add(
          new Problem(
              at,
              "\""
                  + node
                  + "\" must be the literal prefix of the producer's transactional ids, such as"
                  + " payments- (letters, digits, '.', '_', '-'; no wildcards)"));
      return null;
    }
    return prefix;
  }
}
