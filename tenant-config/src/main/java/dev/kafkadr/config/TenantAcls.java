package dev.kafkadr.config;

import dev.kafkadr.tenant.NamingMode;
import dev.kafkadr.tenant.Problem;
import dev.kafkadr.tenant.Tenant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL bindings a tenants file asks for on each cluster: for every tenant with {@code access},
 * on every target of its flows. Kafka ACLs name a topic or group exactly or by prefix, so a tenant
 * that declares access must write its patterns as a literal name ({@code clickstream}) or a literal
 * prefix followed by {@code .*} ({@code payments\..*}).
 */
public final class TenantAcls {

  private TenantAcls() {}

  /** Per cluster alias, the bindings the file asks for. */
  public static Map<String, Set<AclBinding>> desired(TenantsFile file) {
    Map<String, Set<AclBinding>> out = new TreeMap<>();
    file.clusters().forEach(c -> out.put(c.alias(), new LinkedHashSet<>()));
    for (FlowSpec flow : file.flows()) {
      for (String id : flow.tenants()) {
        Tenant tenant = file.tenants().stream().filter(t -> t.id().equals(id)).findFirst().get();
        List<TenantAccess> access = file.access().getOrDefault(id, List.of());
        for (TenantAccess a : access) {
          out.get(flow.target()).addAll(bindings(tenant, a, flow.source()));
        }
      }
    }
    return out;
  }

  private static List<AclBinding> bindings(Tenant tenant, TenantAccess access, String source) {
    List<AclBinding> out = new ArrayList<>();
    for (String pattern : tenant.topics().include()) {
      ResourcePattern local = resource(ResourceType.TOPIC, pattern, "");
      if (access.role() == TenantAccess.Role.PRODUCER) {
        out.add(allow(local, access, AclOperation.WRITE));
        out.add(allow(local, access, AclOperation.DESCRIBE));
      } else {
        out.add(allow(local, access, AclOperation.READ));
        out.add(allow(local, access, AclOperation.DESCRIBE));
        if (tenant.naming() == NamingMode.PREFIXED) {
          ResourcePattern copy = resource(ResourceType.TOPIC, pattern, source + ".");
          out.add(allow(copy, access, AclOperation.READ));
          out.add(allow(copy, access, AclOperation.DESCRIBE));
        }
      }
    }
    if (access.role() == TenantAccess.Role.CONSUMER) {
      for (String pattern : tenant.groups().include()) {
        out.add(allow(resource(ResourceType.GROUP, pattern, ""), access, AclOperation.READ));
      }
    }
    transactionalIds(access)
        .ifPresent(
            r -> {
              out.add(allow(r, access, AclOperation.WRITE));
              out.add(allow(r, access, AclOperation.DESCRIBE));
            });
    return out;
  }

  /** A producer's transactional ids as an ACL resource (a prefix), when it declares them. */
  public static java.util.Optional<ResourcePattern> transactionalIds(TenantAccess access) {
    return java.util.Optional.ofNullable(access.transactionalIdPrefix())
        .map(p -> new ResourcePattern(ResourceType.TRANSACTIONAL_ID, p, PatternType.PREFIXED));
  }

  private static AclBinding allow(
      ResourcePattern resource, TenantAccess access, AclOperation operation) {
    return new AclBinding(
        resource,
        new AccessControlEntry(access.principal(), "*", operation, AclPermissionType.ALLOW));
  }

  /**
   * The ACL resource patterns of a tenant's topic ({@code TOPIC}) or group ({@code GROUP}) include
   * patterns, each names a literal or a prefix; only for tenants whose patterns {@link #check}
   * accepted (those that declare access).
   */
  public static List<ResourcePattern> resources(Tenant tenant, ResourceType type) {
    List<String> patterns =
        type == ResourceType.GROUP ? tenant.groups().include() : tenant.topics().include();
    return patterns.stream().map(p -> resource(type, p, "")).toList();
  }

  private static ResourcePattern resource(ResourceType type, String regex, String namePrefix) {
    String literal = literal(regex);
    if (literal != null) {
      return new ResourcePattern(type, namePrefix + literal, PatternType.LITERAL);
    }
    return new ResourcePattern(
        type, namePrefix + literal(regex.substring(0, regex.length() - 2)), PatternType.PREFIXED);
  }

  /**
   * Problems with the patterns of tenants that declare access: each must be a literal name or a
   * literal prefix followed by {@code .*}.
   */
  static void check(
      List<Tenant> tenants, Map<String, List<TenantAccess>> access, List<Problem> problems) {
    for (int i = 0; i < tenants.size(); i++) {
      Tenant t = tenants.get(i);
      if (access.getOrDefault(t.id(), List.of()).isEmpty()) {
        continue;
      }
      List<TenantAccess> entries = access.get(t.id());
      for (int j = 0; j < entries.size(); j++) {
        String prefix = entries.get(j).transactionalIdPrefix();
        if (prefix != null
            && !t.platform()
            && !dev.kafkadr.tenant.Namespaces.names(t.namespace()).run(prefix)) {
          problems.add(
              new Problem(
                  "tenants[" + i + "].access[" + j + "].transactionalIds",
                  "\""
                      + prefix
                      + "\" lies outside the tenant's namespace \""
                      + t.namespace()
                      + "\": it must begin with it and '.', '-' or '_'"));
        }
      }
      for (var kind : List.of(Map.entry("topics", t.topics()), Map.entry("groups", t.groups()))) {
        List<String> include = kind.getValue().include();
        for (int j = 0; j < include.size(); j++) {
          if (!aclFriendly(include.get(j))) {
            problems.add(
                new Problem(
                    "tenants[" + i + "]." + kind.getKey() + ".include[" + j + "]",
                    "pattern \""
                        + include.get(j)
                        + "\" cannot become an ACL: with access declared, write a literal name or"
                        + " a literal prefix followed by .* (Kafka ACLs match names exactly or by"
                        + " prefix)"));
          }
        }
      }
    }
  }

  private static boolean aclFriendly(String regex) {
    if (literal(regex) != null) {
      return true;
    }
    return regex.endsWith(".*")
        && regex.length() > 2
        && literal(regex.substring(0, regex.length() - 2)) != null;
  }

  /** The name a regex matches when it matches exactly one, unescaped; null otherwise. */
  static String literal(String regex) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < regex.length()) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length() && ".-_".indexOf(regex.charAt(i + 1)) >= 0) {
        out.append(regex.charAt(i + 1));
        i += 2;
      } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
        out.append(c);
        i++;
      } else {
        return null;
      }
    }
    return out.length() == 0 ? null : out.toString();
  }

  /** One line for people: {@code User:app ALLOW READ on TOPIC PREFIXED "payments."}. */
  public static String describe(AclBinding b) {
    return b.entry().principal()
        + " "
        + b.entry().permissionType()
        + " "
        + b.entry().operation()
        + " on "
        + b.pattern().resourceType()
        + " "
        + b.pattern().patternType()
        + " \""
        + b.pattern().name()
        + "\"";
  }
}
