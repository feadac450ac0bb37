package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.TenantAccess;
import dev.kafkadr.controller.drill.EffectiveAcls;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The verify drill's writability check, compared rather than exercised (kafka-dr holds no tenant's
 * credentials): for every principal the tenant declares under {@code access}, every permission its
 * role needs after a switchover (a producer: WRITE and DESCRIBE on the tenant's topics, WRITE on
 * its transactional ids; a consumer: READ and DESCRIBE on the copies, READ on the tenant's groups)
 * is judged on both clusters by their ACLs ({@link EffectiveAcls}), leaving out kafka-dr's own
 * fences. A permission the principal has on the active cluster and lacks on the other fails the
 * check, naming principal, operation and resource.
 */
final class DrillAccess implements Step {

  @Override
  public String name() {
    return "compare-access";
  }

  @Override
  public String plan(StepContext c) {
    return "would compare the effective ACLs of the tenant's principals on "
        + c.from().alias()
        + " and "
        + c.to().alias();
  }

  @Override
  public Outcome run(StepContext c) throws Exception {
    List<TenantAccess> access = c.file().access().getOrDefault(c.tenant().id(), List.of());
    Map<String, Object> result = new LinkedHashMap<>();
    if (access.isEmpty()) {
      result.put("passed", "not run");
      result.put("why", "the tenant declares no access: no principal to compare");
      return new Outcome(
          "not run: the tenant declares no access", Map.of("drillWritability", result));
    }
    Set<AclBinding> fences = new HashSet<>();
    for (Fences.Kind kind : Fences.Kind.values()) {
      fences.addAll(Fences.bindings(c.file(), c.tenant(), kind));
    }
    List<AclBinding> active = acls(c.admin(c.from()), fences);
    List<AclBinding> other = acls(c.admin(c.to()), fences);
    List<String[]> needed = needed(c, access);
    List<String> failures = new ArrayList<>();
    int compared = 0;
    for (String[] n : needed) { // principal, operation, type, name on the active, on the other
      AclOperation op = AclOperation.valueOf(n[1]);
      ResourceType type = ResourceType.valueOf(n[2]);
      boolean there = EffectiveAcls.allowed(active, n[0], op, type, n[3]);
      boolean here = EffectiveAcls.allowed(other, n[0], op, type, n[4]);
      compared++;
      if (there && !here) {
        String kind = type.name().toLowerCase(java.util.Locale.ROOT);
        failures.add(
            n[0]
                + " may "
                + op
                + " "
                + kind
                + " "
                + n[3]
                + " on "
                + c.from().alias()
                + " but not "
                + kind
                + " "
                + n[4]
                + " on "
                + c.to().alias());
      }
    }
    result.put("passed", failures.isEmpty());
    result.put("status", "compared, not exercised");
    result.put("principals", access.stream().map(TenantAccess::principal).distinct().toList());
    result.put("permissionsCompared", compared);
    result.put("failures", failures);
    return new Outcome(
        compared
            + " permissions of "
            + access.size()
            + " principal(s) compared on both clusters"
            + (failures.isEmpty() ? ": the same" : ": " + String.join("; ", failures)),
        Map.of("drillWritability", result));
  }

  /** The cluster's ACLs, kafka-dr's own fences left out. */
  private static List<AclBinding> acls(Admin admin, Set<AclBinding> fences) throws Exception {
    return admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).stream()
        .filter(b -> !fences.contains(b))
        .toList();
  }

  /**
   * {principal, operation, resource type, name on the active cluster, name on the other} for every
   * permission each role needs: consumers read the copies' names on the other cluster.
   */
  private static List<String[]> needed(StepContext c, List<TenantAccess> access) throws Exception {
    Map<String, String> topics = new java.util.TreeMap<>(); // local name -> copy name
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.common.TopicPartition> copies =
        DrillSteps.copies(c);
    DrillSteps.partitionsFact(c, "drillCut").keySet().stream()
        .map(DrillSteps::partition)
        .forEach(
            tp ->
                topics.put(
                    tp.topic(), copies.containsKey(tp) ? copies.get(tp).topic() : tp.topic()));
    List<String> groups = TenantTopics.groups(c.admin(c.from()), c.tenant());
    List<String[]> out = new ArrayList<>();
    for (TenantAccess a : access) {
      String p = a.principal();
      if (a.role() == TenantAccess.Role.PRODUCER) {
        for (String t : topics.keySet()) {
          out.add(new String[] {p, "WRITE", "TOPIC", t, t});
          out.add(new String[] {p, "DESCRIBE", "TOPIC", t, t});
        }
        String tx = a.transactionalIdPrefix();
        if (tx != null) {
          out.add(new String[] {p, "WRITE", "TRANSACTIONAL_ID", tx, tx});
        }
      } else {
        topics.forEach(
            (t, copy) -> {
              out.add(new String[] {p, "READ", "TOPIC", t, copy});
              out.add(new String[] {p, "DESCRIBE", "TOPIC", t, copy});
            });
        groups.forEach(g -> out.add(new String[] {p, "READ", "GROUP", g, g}));
      }
    }
    return out;
  }
}
