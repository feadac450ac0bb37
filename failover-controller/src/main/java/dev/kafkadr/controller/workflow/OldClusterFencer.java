package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.controller.LagMonitor;
import dev.kafkadr.controller.store.Leadership;
import dev.kafkadr.controller.store.StateStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.jboss.logging.Logger;

/**
 * Fences an old cluster as soon as it answers again after a failover that could not fence it (it
 * was down or cut off: the failover's {@code oldFenced} fact is false). Until then, clients that
 * cannot see the switch (cut off with that cluster: a split brain) may still write there; reconcile
 * fences it too, but only when an operator runs it.
 *
 * <p>Every scan interval the acting replica looks at each tenant whose newest workflow that moved
 * or could move it (drills and rolled-back or failed workflows aside) is such a failover, while the
 * registry still has the tenant on the failover's target: it probes the old cluster (one request, 3
 * s at most, no lock held) and, when it answers, takes the tenant's workflow lock (so that no
 * workflow moves the tenant meanwhile), checks the registry again and raises the tenant's producer
 * and consumer DENY ACLs there ({@link Fences}). It never fences the cluster the registry names.
 * Done once per failover: the state store's {@code fenced-on-return/<failover id>} records when and
 * how many ACLs were added, and the audit log says so. A cluster that answers but refuses the ACLs
 * is logged (WARN) and tried again after a back-off of one minute.
 */
@ApplicationScoped
public class OldClusterFencer {

  private static final Logger LOG = Logger.getLogger(OldClusterFencer.class);
  private static final String DONE = "fenced-on-return/";
  private static final Duration BACK_OFF = Duration.ofMinutes(1);

  private final Workflows workflows;
  private final LagMonitor monitor;
  private final StateStore store;
  private final Leadership leadership;
  private final EffectGuard guard;
  private final Map<String, Instant> backOff = new ConcurrentHashMap<>();
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private final Map<String, String> unreleased = new ConcurrentHashMap<>();

  OldClusterFencer(
      Workflows workflows, LagMonitor monitor, StateStore store, Leadership leadership) {
    this.workflows = workflows;
    this.monitor = monitor;
    this.store = store;
    this.leadership = leadership;
    // the lease check before the ACL change; no test hold (those catch workflows' changes)
    this.guard = new EffectGuard(Optional.empty(), leadership::leads);
  }

  @Scheduled(
      every = "${kdr.scan.interval}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void tick() {
    unreleased.forEach(this::release);
    if (!leadership.leads() || monitor.tenants() == null) {
      return;
    }
    Map<String, Boolean> answers = new HashMap<>(); // one probe per cluster per tick
    for (WorkflowRun.View failover : unfenced(workflows.list())) {
      Instant until = backOff.get(failover.id());
      if ((until != null && Instant.now().isBefore(until))
          || !onTarget(failover)
          || store.get(DONE + failover.id()).isPresent()) {
        continue;
      }
      try {
        if (answers.computeIfAbsent(failover.from(), this::answers)) {
          fence(failover);
        }
      } catch (Exception e) {
        backOff.put(failover.id(), Instant.now().plus(BACK_OFF));
        String why = Workflows.message(e);
        if (warned.add(failover.id() + why)) {
          LOG.warnf(
              "%s answers after failover %s of %s but could not be fenced (tried again every %s):"
                  + " %s",
              failover.from(), failover.id(), failover.tenant(), BACK_OFF, why);
        }
      }
    }
  }

  /**
   * Of {@code runs} (any order), the failovers that left their old cluster unfenced and are still
   * the newest workflow of their tenant that moved it or may have: a later drill, dry run, or
   * workflow that failed or rolled back does not count (it left the tenant where it was, or the
   * registry tells); a running one does (it decides).
   */
  static List<WorkflowRun.View> unfenced(List<WorkflowRun.View> runs) {
    Map<String, WorkflowRun.View> newest = new HashMap<>();
    runs.stream()
        .filter(r -> !r.dryRun() && r.kind().movesTenant() && !r.kind().isDrill())
        .filter(
            r ->
                r.kind() == WorkflowKind.FAILOVER
                    || (r.state() != WorkflowRun.State.FAILED
                        && r.state() != WorkflowRun.State.ROLLED_BACK))
        .forEach(
            r ->
                newest.merge(
                    r.tenant(),
                    r,
                    (a, b) ->
                        Comparator.comparing(WorkflowRun.View::createdAt).compare(a, b) >= 0
                            ? a
                            : b));
    List<WorkflowRun.View> out = new ArrayList<>();
    for (WorkflowRun.View r : newest.values()) {
      if (r.kind() == WorkflowKind.FAILOVER
          && r.state() != WorkflowRun.State.RUNNING
          && Boolean.FALSE.equals(r.facts().get("oldFenced"))) {
        out.add(r);
      }
    }
    return out;
  }

  /** Whether the registry has the failover's tenant on its target (not on the old cluster). */
  private boolean onTarget(WorkflowRun.View failover) {
    return monitor
        .bootstrap()
        .clusterOf(failover.tenant())
        .filter(c -> c.equals(failover.to()) && !c.equals(failover.from()))
        .isPresent();
  }

  private boolean answers(String alias) {
    try (Admin admin = admin(monitor.tenants(), alias)) {
      admin.describeCluster().clusterId().get(3, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      LOG.debugf("%s does not answer yet: %s", alias, Workflows.message(e));
      return false;
    }
  }

  private void fence(WorkflowRun.View failover) throws Exception {
    TenantsFile file = monitor.tenants();
    var tenant = file.tenants().stream().filter(t -> t.id().equals(failover.tenant())).findFirst();
    if (tenant.isEmpty()) {
      return; // no longer in the tenants file
    }
    List<AclBinding> fence = new ArrayList<>();
    fence.addAll(Fences.bindings(file, tenant.get(), Fences.Kind.PRODUCERS));
    fence.addAll(Fences.bindings(file, tenant.get(), Fences.Kind.CONSUMERS));
    if (fence.isEmpty()) {
      if (warned.add(failover.id() + " no principal")) {
        LOG.warnf(
            "%s answers after failover %s, but %s declares no principal to fence there",
            failover.from(), failover.id(), failover.tenant());
      }
      return;
    }
    String lockId = "fence-on-return-" + failover.id();
    try {
      new TenantLocks(store).lock(failover.tenant(), lockId);
    } catch (WorkflowRefused busy) {
      return; // a workflow runs: it decides; look again next time
    }
    unreleased.put(failover.tenant(), lockId);
    try (Admin admin = new GuardedAdmin(adminConfig(file, failover.from()), guard::before)) {
      // under the lock, again: nothing started, ended or moved the tenant since the look above
      if (unfenced(workflows.list()).stream().noneMatch(r -> r.id().equals(failover.id()))
          || !onTarget(failover)) {
        return;
      }
      int added = Fences.raise(admin, fence);
      Instant at = Instant.now();
      store.put(DONE + failover.id(), at + " " + added, 0);
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("failover", failover.id());
      facts.put("cluster", failover.from());
      facts.put("fencesRaised", added);
      facts.put("at", at.toString());
      workflows.note("controller", "fence old cluster on its return", failover.tenant(), facts);
      LOG.warnf(
          "%s answers again after failover %s of %s: fenced (%d DENY ACLs added)",
          failover.from(), failover.id(), failover.tenant(), added);
    } finally {
      release(failover.tenant(), lockId);
    }
  }

  /** Releases this fencer's lock of {@code tenant}; kept to try again if the store refused. */
  private void release(String tenant, String lockId) {
    try {
      store
          .get("locks/" + tenant)
          .filter(d -> d.value().trim().equals(lockId))
          .ifPresent(d -> store.delete("locks/" + tenant, d.version()));
      unreleased.remove(tenant, lockId);
    } catch (RuntimeException e) {
      LOG.warnf("lock of %s (%s) not released yet: %s", tenant, lockId, e.getMessage());
    }
  }

  private static Map<String, Object> adminConfig(TenantsFile file, String alias) {
    Map<String, Object> config = new HashMap<>(ClusterClients.adminConfig(file.cluster(alias)));
    config.put("client.id", "kdr-controller-fence-on-return");
    config.put("request.timeout.ms", 2000);
    config.put("default.api.timeout.ms", 3000);
    config.put("reconnect.backoff.max.ms", 500);
    return config;
  }

  private static Admin admin(TenantsFile file, String alias) {
    return Admin.create(adminConfig(file, alias));
  }
}
