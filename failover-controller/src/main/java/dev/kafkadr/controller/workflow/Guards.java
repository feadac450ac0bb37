package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.config.TenantAcls;
import dev.kafkadr.config.connect.ConnectorStatus;
import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.RpoStatus;
import dev.kafkadr.tenant.NamingMode;
import dev.kafkadr.tenant.Tenant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;

/** The steps that check before anything changes, and the fences. */
final class Guards {

  private Guards() {}

  /** The forward flow's connectors: {@code tenant.from-to-to}. */
  static String flowName(StepContext c) {
    return c.tenant().id() + "." + c.from().alias() + "-to-" + c.to().alias();
  }

  /**
   * Checks that a planned switchover can succeed before it changes anything: the tenant can be
   * fenced, the target answers, the forward flow runs, every topic and ACL is on the target, and
   * the lag is known.
   */
  static final class Preflight implements Step {
    @Override
    public String name() {
      return "preflight";
    }

    @Override
    public String plan(StepContext c) throws Exception {
      return "checks passed: " + check(c).detail();
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      return check(c);
    }

    /** Why the flow's source connector cannot drain the tenant, if it cannot. */
    private static java.util.Optional<String> sourceConnector(StepContext c) {
      ConnectorStatus status = c.connect(c.to().alias()).status(flowName(c) + ".source");
      if (status.isRunning()) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(
          "connector "
              + status.name()
              + " is "
              + status.describe()
              + ", not RUNNING with every task RUNNING");
    }

    private Outcome check(StepContext c) throws Exception {
      Tenant tenant = c.tenant();
      List<String> problems = new ArrayList<>();
      prefixedNames(c).ifPresent(problems::add);
      if (Fences.bindings(c.file(), tenant, Fences.Kind.PRODUCERS).isEmpty()) {
        problems.add(
            "tenant "
                + tenant.id()
                + " declares no producer principal under access: kafka-dr cannot fence clients"
                + " it does not know");
      }
      String clusterId = c.admin(c.to()).describeCluster().clusterId().get(20, TimeUnit.SECONDS);
      sourceConnector(c).ifPresent(problems::add);
      List<TopicPartition> source = TenantTopics.partitions(c.admin(c.from()), tenant);
      List<TopicPartition> target = TenantTopics.partitions(c.admin(c.to()), tenant);
      List<TopicPartition> absent = new ArrayList<>(source);
      absent.removeAll(target);
      if (!absent.isEmpty()) {
        problems.add("partitions missing on " + c.to().alias() + ": " + absent);
      }
      List<AclBinding> acls = new ArrayList<>();
      TenantAcls.desired(c.file()).getOrDefault(c.to().alias(), java.util.Set.of()).stream()
          .filter(b -> principals(c).contains(b.entry().principal()))
          .forEach(acls::add);
      List<AclBinding> missingAcls = Fences.missingAllows(c.admin(c.to()), acls);
      if (!missingAcls.isEmpty()) {
        problems.add(
            missingAcls.size()
                + " of the tenant's ACLs missing on "
                + c.to().alias()
                + " (run kdr config apply)");
      }
      FlowLag lag = lag(c);
      if (lag == null || lag.status() == RpoStatus.UNKNOWN) {
        problems.add(
            "the lag of "
                + tenant.id()
                + " "
                + c.from().alias()
                + " -> "
                + c.to().alias()
                + " is unknown"
                + (lag == null || lag.problem() == null ? "" : ": " + lag.problem()));
      }
      if (!problems.isEmpty()) {
        throw new WorkflowException(String.join("; ", problems));
      }
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("targetClusterId", clusterId);
      facts.put("lagRecordsAtStart", lag.lagRecords());
      facts.put("lagSecondsAtStart", lag.lagSeconds());
      facts.put("partitions", source.size());
      // Where verify-copy starts comparing the source with the copy: what was copied by now.
      Map<String, Long> verifiedFrom = new java.util.TreeMap<>();
      lag.partitions()
          .forEach(p -> verifiedFrom.put(p.topic() + "-" + p.partition(), p.replicatedUpTo()));
      facts.put("verifiedFrom", verifiedFrom);
      facts.put("fencesBefore", fencesBefore(c));
      return new Outcome(
          source.size()
              + " partitions, lag "
              + lag.lagRecords()
              + " records ("
              + lag.lagSeconds()
              + " s) against RPO "
              + tenant.rpo().toSeconds()
              + " s, "
              + c.to().alias()
              + " reachable, connectors running, "
              + acls.size()
              + " ACLs present",
          facts);
    }
  }

  /**
   * The tenant's DENY ACLs (kafka-dr's fences, every kind) present on each of the two clusters
   * before the workflow fenced anything, by cluster alias: what a rollback leaves in place.
   */
  private static Map<String, Object> fencesBefore(StepContext c) throws Exception {
    List<AclBinding> all = new ArrayList<>();
    for (Fences.Kind k : Fences.Kind.values()) {
      all.addAll(Fences.bindings(c.file(), c.tenant(), k));
    }
    Map<String, Object> out = new java.util.TreeMap<>();
    for (var cluster : List.of(c.from(), c.to())) {
      List<AclBinding> present = new ArrayList<>(all);
      present.removeAll(Fences.missing(c.admin(cluster), all));
      out.put(cluster.alias(), present.stream().map(AclBinding::toString).toList());
    }
    return out;
  }

  /** Why the tenant cannot be moved because of its naming, if it cannot. */
  static java.util.Optional<String> prefixedNames(StepContext c) {
    if (c.tenant().naming() == NamingMode.IDENTICAL) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        "tenant "
            + c.tenant().id()
            + " uses prefixed names; workflows move tenants with identical names only (its"
            + " clients would need other topic names on the target)");
  }

  /** The tenant's forward flow lag as scanned now, or null when the scan has none. */
  static FlowLag lag(StepContext c) {
    FlowSpec flow = new FlowSpec(c.from().alias(), c.to().alias(), List.of(c.tenant().id()));
    try {
      return c.monitor().scanFlow(flow).stream().findFirst().orElse(null);
    } catch (IllegalStateException e) {
      return null;
    }
  }

  private static java.util.Set<String> principals(StepContext c) {
    java.util.Set<String> out = new java.util.HashSet<>();
    c.file().access().getOrDefault(c.tenant().id(), List.of()).forEach(a -> out.add(a.principal()));
    return out;
  }

  /**
   * Raises or lowers one kind of fence on one of the two clusters. A raise's compensation lifts
   * only the DENY ACLs the preflight did not find ({@code fencesBefore}), so a rollback leaves a
   * fence that was there before (the old cluster of an earlier move) where it was.
   */
  static final class Fence implements Step {
    private final String name;
    private final Function<StepContext, ClusterSpec> cluster;
    private final List<Fences.Kind> kinds;
    private final boolean raise;

    Fence(
        String name,
        Function<StepContext, ClusterSpec> cluster,
        List<Fences.Kind> kinds,
        boolean raise) {
      this.name = name;
      this.cluster = cluster;
      this.kinds = kinds;
      this.raise = raise;
    }

    @Override
    public String name() {
      return name;
    }

    private List<AclBinding> bindings(StepContext c) {
      List<AclBinding> out = new ArrayList<>();
      kinds.forEach(k -> out.addAll(Fences.bindings(c.file(), c.tenant(), k)));
      return out;
    }

    @Override
    public String plan(StepContext c) throws Exception {
      List<AclBinding> all = bindings(c);
      List<AclBinding> missing = Fences.missing(c.admin(cluster.apply(c)), all);
      int changes = raise ? missing.size() : all.size() - missing.size();
      return "would "
          + (raise ? "add " : "remove ")
          + changes
          + " of "
          + all.size()
          + " DENY ACLs ("
          + kinds
          + ") on "
          + cluster.apply(c).alias();
    }

    @Override
    public java.util.Optional<String> compensate(StepContext c) throws Exception {
      if (!raise) {
        return java.util.Optional.empty(); // lifting a fence is undone by the step that raised it
      }
      ClusterSpec on = cluster.apply(c);
      List<AclBinding> mine = bindings(c);
      // Only what the workflow added: a fence that was there before it (the old cluster of an
      // earlier move stays fenced) stays. Read from the preflight (journaled before any fence, so
      // it holds after a crash mid-raise); a journal without it (an older controller) lifts all.
      if (c.facts().get("fencesBefore") instanceof Map<?, ?> before
          && before.get(on.alias()) instanceof List<?> there) {
        mine.removeIf(b -> there.contains(b.toString()));
      }
      int removed = Fences.lower(c.admin(on), mine);
      return java.util.Optional.of(
          "DENY ACLs (" + kinds + ") removed from " + on.alias() + ": " + removed);
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      List<AclBinding> all = bindings(c);
      ClusterSpec on = cluster.apply(c);
      int changed = raise ? Fences.raise(c.admin(on), all) : Fences.lower(c.admin(on), all);
      return Outcome.of(
          (raise ? "DENY ACLs on " : "DENY ACLs removed from ")
              + on.alias()
              + ": "
              + changed
              + " changed, "
              + all.size()
              + " in all ("
              + kinds
              + ")");
    }
  }
}
