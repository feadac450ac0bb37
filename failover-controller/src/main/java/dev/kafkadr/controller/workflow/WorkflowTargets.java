package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.registry.BootstrapRegistry;
import java.util.List;
import java.util.Optional;

/** Where a workflow moves its tenant. */
final class WorkflowTargets {

  private WorkflowTargets() {}

  /**
   * The cluster a workflow of {@code kind} moves {@code tenant} to: a failback's is its home (the
   * source of its flow), otherwise {@code to}, or the tenant's only other cluster.
   *
   * @throws IllegalArgumentException when {@code to} is not the home of a failback, or there is
   *     more than one other cluster and none was named
   */
  static String target(
      dev.kafkadr.controller.LagMonitor monitor,
      String tenant,
      WorkflowKind kind,
      Optional<String> to,
      BootstrapRegistry.Entry now) {
    String home =
        monitor.tenants().flows().stream()
            .filter(f -> f.tenants().contains(tenant))
            .map(f -> f.source())
            .findFirst()
            .orElseThrow();
    if (kind == WorkflowKind.DRILL_SWITCHOVER && !now.cluster().equals(home)) {
      throw new IllegalArgumentException(
          "a switchover drill of \""
              + tenant
              + "\" starts on its home cluster "
              + home
              + " and fails back there; it is on "
              + now.cluster()
              + ": fail back first");
    }
    if (kind == WorkflowKind.FAILBACK) {
      if (to.isPresent() && !to.get().equals(home)) {
        throw new IllegalArgumentException(
            "a failback of \""
                + tenant
                + "\" goes to its home cluster "
                + home
                + ", not "
                + to.get());
      }
      return home;
    }
    if (to.isPresent()) {
      return to.get();
    }
    List<String> others =
        monitor.bootstrap().clusters(tenant).stream()
            .filter(c -> !c.equals(now.cluster()))
            .toList();
    if (others.size() != 1) {
      throw new IllegalArgumentException(
          "tenant \"" + tenant + "\" can move to " + others + ": say which with \"to\"");
    }
    return others.get(0);
  }

  /**
   * {@link #target}, checked: a cluster the tenant's registry entry may name, and not the one the
   * tenant is on ({@code now}).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static String checked(
      dev.kafkadr.controller.LagMonitor monitor,
      String tenant,
      WorkflowKind kind,
      Optional<String> to,
      BootstrapRegistry.Entry now) {
    String target = target(monitor, tenant, kind, to, now);
    monitor.bootstrap().check(tenant, target);
    if (target.equals(now.cluster())) {
      throw new IllegalArgumentException(
          "tenant \"" + tenant + "\" is already on " + target + ": nothing to " + kind.apiName());
    }
    return target;
  }
}
