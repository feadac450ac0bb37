package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.TenantAccess;
import dev.kafkadr.config.TenantAcls;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.tenant.Tenant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A tenant's fence on one cluster: DENY ACLs for the tenant's own principals (its {@code access}
 * entries), which win over any ALLOW. Producers lose WRITE on the tenant's topics and, for
 * transactional producers, WRITE on their transactional ids (a DENY on topics alone does not stop
 * {@code EndTxn}: committing needs WRITE on the transactional id only); consumers lose READ on the
 * tenant's groups, so that they can no longer commit. Other principals (replication, the
 * controller) are untouched. With IAM authentication on MSK the equivalent is an IAM policy
 * statement denying {@code kafka-cluster:WriteData} on the tenant's topics (runbook).
 */
public final class Fences {

  /** Which of the tenant's clients a fence stops. */
  public enum Kind {
    /** WRITE on topics, for principals with the producer role. */
    PRODUCERS,
    /** READ on groups, for principals with the consumer role. */
    CONSUMERS
  }

  private Fences() {}

  /**
   * The DENY bindings of {@code kind} for {@code tenant}.
   *
   * @throws IllegalStateException when the tenant declares no principal of that role: kafka-dr
   *     cannot fence clients it does not know
   */
  public static List<AclBinding> bindings(TenantsFile file, Tenant tenant, Kind kind) {
    TenantAccess.Role role =
        kind == Kind.PRODUCERS ? TenantAccess.Role.PRODUCER : TenantAccess.Role.CONSUMER;
    List<AclBinding> out = new ArrayList<>();
    for (TenantAccess a : file.access().getOrDefault(tenant.id(), List.of())) {
      if (a.role() != role) {
        continue;
      }
      ResourceType type = kind == Kind.PRODUCERS ? ResourceType.TOPIC : ResourceType.GROUP;
      AclOperation op = kind == Kind.PRODUCERS ? AclOperation.WRITE : AclOperation.READ;
      for (ResourcePattern r : TenantAcls.resources(tenant, type)) {
        out.add(
            new AclBinding(
                r, new AccessControlEntry(a.principal(), "*", op, AclPermissionType.DENY)));
      }
      if (kind == Kind.PRODUCERS) {
        TenantAcls.transactionalIds(a)
            .ifPresent(
                r ->
                    out.add(
                        new AclBinding(
                            r,
                            new AccessControlEntry(
                                a.principal(), "*", AclOperation.WRITE, AclPermissionType.DENY))));
      }
    }
    return out;
  }

  /** The transactional id prefixes the tenant's producers declare. */
  public static List<String> transactionalIdPrefixes(TenantsFile file, Tenant tenant) {
    return file.access().getOrDefault(tenant.id(), List.of()).stream()
        .map(TenantAccess::transactionalIdPrefix)
        .filter(java.util.Objects::nonNull)
        .toList();
  }

  /** Adds the bindings (Kafka ignores ones already there); returns how many were missing. */
  public static int raise(Admin admin, List<AclBinding> bindings) throws Exception {
    List<AclBinding> missing = missing(admin, bindings);
    if (!missing.isEmpty()) {
      admin.createAcls(missing).all().get(30, TimeUnit.SECONDS);
    }
    return missing.size();
  }

  /** Removes the bindings; returns how many were there. */
  public static int lower(Admin admin, List<AclBinding> bindings) throws Exception {
    List<AclBinding> present = new ArrayList<>(bindings);
    present.removeAll(missing(admin, bindings));
    if (!present.isEmpty()) {
      admin
          .deleteAcls(present.stream().map(AclBinding::toFilter).toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    return present.size();
  }

  /** The DENY bindings not on the cluster now. */
  public static List<AclBinding> missing(Admin admin, List<AclBinding> bindings)
      throws ExecutionException, InterruptedException, TimeoutException {
    return absent(admin, bindings, AclPermissionType.DENY);
  }

  /** The ALLOW bindings not on the cluster now. */
  public static List<AclBinding> missingAllows(Admin admin, List<AclBinding> bindings)
      throws ExecutionException, InterruptedException, TimeoutException {
    return absent(admin, bindings, AclPermissionType.ALLOW);
  }

  private static List<AclBinding> absent(
      Admin admin, List<AclBinding> bindings, AclPermissionType permission)
      throws ExecutionException, InterruptedException, TimeoutException {
    if (bindings.isEmpty()) {
      return List.of();
    }
    var present =
        admin
            .describeAcls(
                new AclBindingFilter(
                    org.apache.kafka.common.resource.ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter(null, null, AclOperation.ANY, permission)))
            .values()
            .get(30, TimeUnit.SECONDS);
    List<AclBinding> out = new ArrayList<>(bindings);
    out.removeAll(present);
    return out;
  }
}
