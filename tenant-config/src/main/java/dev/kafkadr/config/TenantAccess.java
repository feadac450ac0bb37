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
 * <p>A producer may register a drill credential ({@code drillCredential: {password:
 * ${file:/etc/kdr/drill.properties:payments-app}}}): the password of its principal's SCRAM user
 * behind a ConfigProvider reference the controller reads (never the secret itself in the file), so
 * that a verify drill can write a probe record as that principal on the other cluster instead of
 * only comparing ACLs.
 *
 * @param principal a Kafka principal, {@code User:name}
 * @param role consumer or producer
 * @param transactionalIdPrefix the literal prefix of a producer's transactional ids, or null
 * @param drillCredential a producer's drill credential, or null
 */
public record TenantAccess(
    String principal, Role role, String transactionalIdPrefix, DrillCredential drillCredential) {

  /**
   * How a drill logs in as a producer's principal: SASL with {@code mechanism} ({@code
   * SCRAM-SHA-256} or {@code SCRAM-SHA-512}, the default) over {@code protocol} ({@code SASL_SSL},
   * the default, or {@code SASL_PLAINTEXT}) at the cluster's {@code traffic.clusters.<alias>
   * .clientBootstrap}, user name the principal's name, password behind {@code passwordReference} (a
   * ConfigProvider reference: {@code ${file:path:key}} or {@code ${env:NAME}}).
   */
  public record DrillCredential(String mechanism, String protocol, String passwordReference) {}

  private static final Set<String> CREDENTIAL_KEYS = Set.of("mechanism", "protocol", "password");

  /** What a principal does with the tenant's topics. */
  public enum Role {
    /** Reads the tenant's topics with the tenant's groups. */
    CONSUMER,
    /** Writes the tenant's topics. */
    PRODUCER
  }

  private static final Set<String> KEYS =
      Set.of("principal", "role", "transactionalIds", "drillCredential");

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
      DrillCredential credential =
          drillCredential(map.get("drillCredential"), where, principal, parsed, problems);
      if (principal != null && parsed != null) {
        out.add(new TenantAccess(principal, parsed, prefix, credential));
      }
    }
    return out;
  }

  /** A producer's drill credential; null when absent or wrong (a problem added). */
  private static DrillCredential drillCredential(
      Object node, String where, String principal, Role role, List<Problem> problems) {
    if (node == null) {
      return null;
    }
    String at = where + ".drillCredential";
    if (role != Role.PRODUCER) {
      problems.add(new Problem(at, "only a producer has a drill credential"));
      return null;
    }
    if (principal != null && !principal.startsWith("User:")) {
      problems.add(new Problem(at, "a drill credential logs in a User: principal"));
      return null;
    }
    if (!(node instanceof Map<?, ?> map)) {
      problems.add(new Problem(at, "must be a mapping such as {password: ${file:/path:key}}"));
      return null;
    }
    int before = problems.size();
    TenantsFileParser.unknownKeys(map, CREDENTIAL_KEYS, at, problems);
    String mechanism =
        map.get("mechanism") == null ? "SCRAM-SHA-512" : String.valueOf(map.get("mechanism"));
    if (!"SCRAM-SHA-512".equals(mechanism) && !"SCRAM-SHA-256".equals(mechanism)) {
      problems.add(
          new Problem(
              at + ".mechanism", "\"" + mechanism + "\" must be SCRAM-SHA-512 or SCRAM-SHA-256"));
    }
    String protocol =
        map.get("protocol") == null ? "SASL_SSL" : String.valueOf(map.get("protocol"));
    if (!"SASL_SSL".equals(protocol) && !"SASL_PLAINTEXT".equals(protocol)) {
      problems.add(
          new Problem(at + ".protocol", "\"" + protocol + "\" must be SASL_SSL or SASL_PLAINTEXT"));
    }
    Object password = map.get("password");
    if (!(password instanceof String ref) || !Secrets.isReference(ref)) {
      problems.add(
          new Problem(
              at + ".password",
              password == null
                  ? "is missing"
                  : "must be a ConfigProvider reference such as ${file:/path:key} or ${env:NAME},"
                      + " never the password itself"));
    }
    return problems.size() > before
        ? null
        : new DrillCredential(mechanism, protocol, String.valueOf(password).trim());
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
