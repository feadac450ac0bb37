package dev.kafkadr.config.apply;

import dev.kafkadr.config.TenantAcls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;

/**
 * The tenants' ACL bindings a tenants file asks for, set against those its principals hold now:
 * which to create, and which the principals hold beyond the file. kafka-dr adds, never removes: an
 * ACL it did not ask for may have been granted by someone else for a reason of their own, so extras
 * are reported for a person to judge.
 *
 * @param missing bindings to create
 * @param extra bindings the file's principals hold that the file does not ask for
 */
public record AclPlan(List<Entry> missing, List<Entry> extra) {

  /**
   * One binding on one cluster.
   *
   * @param cluster cluster alias
   * @param binding the ACL binding
   */
  public record Entry(String cluster, AclBinding binding) {}

  /** Compares the desired bindings with the current ones, per cluster alias. */
  public static AclPlan of(
      Map<String, Set<AclBinding>> desired, Map<String, Set<AclBinding>> current) {
    List<Entry> missing = new ArrayList<>();
    List<Entry> extra = new ArrayList<>();
    desired.forEach(
        (cluster, want) -> {
          Set<AclBinding> have = current.getOrDefault(cluster, Set.of());
          want.stream()
              .filter(b -> !have.contains(b))
              .forEach(b -> missing.add(new Entry(cluster, b)));
          have.stream()
              .filter(b -> !want.contains(b))
              .forEach(b -> extra.add(new Entry(cluster, b)));
        });
    return new AclPlan(List.copyOf(missing), List.copyOf(extra));
  }

  /** Whether there is nothing to create. */
  public boolean isEmpty() {
    return missing.isEmpty();
  }

  /** Lines for people; empty when the file's principals hold exactly what it asks. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    missing.forEach(
        e ->
            out.append("+ acl on ")
                .append(e.cluster())
                .append(": ")
                .append(TenantAcls.describe(e.binding()))
                .append('\n'));
    extra.forEach(
        e ->
            out.append("! acl on ")
                .append(e.cluster())
                .append(" not in the file, left in place: ")
                .append(TenantAcls.describe(e.binding()))
                .append('\n'));
    if (!missing.isEmpty() || !extra.isEmpty()) {
      out.append("acls: ")
          .append(missing.size())
          .append(" to create, ")
          .append(extra.size())
          .append(" not in the file\n");
    }
    return out.toString();
  }
}
