package dev.kafkadr.controller.drill;

import java.util.Collection;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Whether a cluster's ACLs let a principal do an operation on a resource, by the rules of Kafka's
 * StandardAuthorizer (Kafka's documentation, "Authorization and ACLs"): a binding matches a
 * resource of its type whose name equals its LITERAL name, any name for the LITERAL wildcard {@code
 * *}, or a name that starts with its PREFIXED name; its principal is the principal or {@code
 * User:*}. A matching DENY for the operation (or ALL) wins over any ALLOW; an ALLOW of READ, WRITE,
 * DELETE or ALTER also allows DESCRIBE, and of ALTER_CONFIGS, DESCRIBE_CONFIGS. Judged for any
 * host: an ALLOW counts only when it names every host ({@code *}), a DENY for any host counts.
 * Without a matching ALLOW the answer is no (no {@code allow.everyone.if.no.acl.found}).
 */
public final class EffectiveAcls {

  private static final Set<AclOperation> IMPLY_DESCRIBE =
      Set.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);

  private EffectiveAcls() {}

  /** Whether {@code acls} let {@code principal} do {@code op} on the resource. */
  public static boolean allowed(
      Collection<AclBinding> acls,
      String principal,
      AclOperation op,
      ResourceType type,
      String name) {
    boolean allow = false;
    for (AclBinding b : acls) {
      if (!matches(b, principal, type, name)) {
        continue;
      }
      AclOperation granted = b.entry().operation();
      if (b.entry().permissionType() == AclPermissionType.DENY) {
        if (granted == op || granted == AclOperation.ALL) {
          return false;
        }
      } else if ("*".equals(b.entry().host()) && implies(granted, op)) {
        allow = true;
      }
    }
    return allow;
  }

  private static boolean implies(AclOperation granted, AclOperation op) {
    return granted == op
        || granted == AclOperation.ALL
        || (op == AclOperation.DESCRIBE && IMPLY_DESCRIBE.contains(granted))
        || (op == AclOperation.DESCRIBE_CONFIGS && granted == AclOperation.ALTER_CONFIGS);
  }

  private static boolean matches(AclBinding b, String principal, ResourceType type, String name) {
    if (b.pattern().resourceType() != type) {
      return false;
    }
    String p = b.entry().principal();
    if (!p.equals(principal) && !"User:*".equals(p)) {
      return false;
    }
    String pattern = b.pattern().name();
    return b.pattern().patternType() == PatternType.PREFIXED
        ? name.startsWith(pattern)
        : b.pattern().patternType() == PatternType.LITERAL
            && (pattern.equals(name) || "*".equals(pattern));
  }
}
