package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.connect.ConnectEndpoints;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.controller.LagMonitor;
import dev.kafkadr.tenant.Tenant;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;

/**
 * What a step works with: the tenant, the two clusters, admin clients for them, the Connect
 * clusters, the lag monitor and traffic switch, the facts earlier steps recorded, and a way to
 * report progress. Admin clients are made on first use and closed when the workflow ends.
 */
public final class StepContext implements AutoCloseable {

  private final WorkflowRun run;
  private final TenantsFile file;
  private final LagMonitor monitor;
  private final ConnectEndpoints connectUrls;
  private final WorkflowSettings settings;
  private final Consumer<String> progress;
  private final Consumer<String> beforeEffect;
  private final Map<String, Admin> admins = new HashMap<>();

  /** Null, or the prefix of a reversed phase's step names and facts ({@link #reversed}). */
  private final String phase;

  StepContext(
      WorkflowRun run,
      LagMonitor monitor,
      WorkflowSettings settings,
      Consumer<String> progress,
      Consumer<String> beforeEffect) {
    this.beforeEffect = beforeEffect;
    this.run = run;
    this.file = monitor.tenants();
    this.monitor = monitor;
    this.connectUrls = monitor.connectEndpoints();
    this.settings = settings;
    this.progress = progress;
    this.phase = null;
  }

  private StepContext(StepContext of, String phase) {
    this.beforeEffect = of.beforeEffect;
    this.run = of.run;
    this.file = of.file;
    this.monitor = of.monitor;
    this.connectUrls = of.connectUrls;
    this.settings = of.settings;
    this.progress = of.progress;
    this.phase = phase;
  }

  /**
   * This context for a phase of a drill that moves the tenant back ({@code failback-}...): {@link
   * #from} and {@link #to} swapped, and {@link #facts} only what the phase's own steps recorded
   * (their keys carry {@code phase}, stripped here), with the workflow's settings and the registry
   * epoch the first phase's switch left as its {@code startEpoch}. Admin clients are the phase's
   * own, closed with it.
   */
  StepContext reversed(String phase) {
    return new StepContext(this, phase);
  }

  /** The tenant. */
  public Tenant tenant() {
    return file.tenants().stream()
        .filter(t -> t.id().equals(run.tenant()))
        .findFirst()
        .orElseThrow();
  }

  /** The tenants file. */
  public TenantsFile file() {
    return file;
  }

  /** The cluster the tenant leaves. */
  public ClusterSpec from() {
    return file.cluster(phase == null ? run.from() : run.to());
  }

  /** The cluster the tenant moves to. */
  public ClusterSpec to() {
    return file.cluster(phase == null ? run.to() : run.from());
  }

  /** Who asked for the workflow (a user of the API, or {@code scheduler}). */
  public String actor() {
    return run.actor();
  }

  /** The workflow's kind. */
  public WorkflowKind kind() {
    return run.kind();
  }

  /**
   * Called before every change a step makes outside the store, with its kind ({@code acl}, {@code
   * connector}, {@code dns}, {@code registry}, {@code records}, ...): on a replicated store it
   * checks that this replica still holds its leader lease (less the margin) and throws {@link
   * dev.kafkadr.controller.store.StateStore.StaleWrite} when it does not, so a paused or cut-off
   * leader makes no call after its lease ended. The admin clients and Connect clients this context
   * hands out call it themselves.
   */
  public void beforeEffect(String kind) {
    beforeEffect.accept(kind);
  }

  /**
   * An admin client of {@code cluster} made from {@code config} whose writes are checked by {@link
   * #beforeEffect}; the caller closes it.
   */
  public Admin guardedAdmin(Map<String, Object> config) {
    return new GuardedAdmin(config, beforeEffect);
  }

  /** An admin client of {@code cluster}, with timeouts short enough for a dead cluster. */
  public synchronized Admin admin(ClusterSpec cluster) {
    return admins.computeIfAbsent(
        cluster.alias(),
        a -> {
          Map<String, Object> config = new HashMap<>(ClusterClients.adminConfig(cluster));
          config.put("client.id", "kdr-controller-workflow-" + a);
          config.put("request.timeout.ms", 10_000);
          config.put("default.api.timeout.ms", 20_000);
          return new GuardedAdmin(config, beforeEffect);
        });
  }

  /**
   * The Connect cluster that runs this tenant's flows into {@code targetAlias}: the one declared in
   * its {@code connectCluster}, or the default one for {@code targetAlias} ({@code
   * kdr.connect.<alias>}).
   *
   * @throws IllegalStateException when neither is configured
   */
  public ConnectRestClient connect(String targetAlias) {
    var declared = file().connect().clusterOf(tenant().id());
    if (declared.isPresent()) {
      return connectUrls.client(declared.get().url(), () -> beforeEffect("connector"));
    }
    String url = connectUrls.url(targetAlias).orElse(null);
    if (url == null) {
      throw new IllegalStateException(
          "no Connect cluster for flows into "
              + targetAlias
              + ": set kdr.connect."
              + targetAlias
              + " to its REST URL");
    }
    return connectUrls.client(url, () -> beforeEffect("connector"));
  }

  /** The lag monitor (scan on demand). */
  public LagMonitor monitor() {
    return monitor;
  }

  /** Timeouts. */
  public WorkflowSettings settings() {
    return settings;
  }

  /** What earlier steps recorded. */
  public Map<String, Object> facts() {
    Map<String, Object> all = run.facts();
    if (phase == null) {
      return all;
    }
    Map<String, Object> out = new HashMap<>();
    for (String k : java.util.List.of("onFailure", "trigger")) {
      if (all.containsKey(k)) {
        out.put(k, all.get(k));
      }
    }
    if (all.get("epoch") != null) {
      out.put("startEpoch", all.get("epoch")); // the registry epoch the first phase switched to
    }
    all.forEach(
        (k, v) -> {
          if (k.startsWith(phase)) {
            out.put(k.substring(phase.length()), v);
          }
        });
    return out;
  }

  /** When the workflow was asked for (its trigger). */
  public java.time.Instant triggeredAt() {
    return run.createdAt();
  }

  /** The workflow's id. */
  public String workflowId() {
    return run.id();
  }

  /** Reports progress of the running step (shown by the API and the CLI). */
  public void progress(String line) {
    progress.accept(line);
  }

  @Override
  public synchronized void close() {
    admins.values().forEach(a -> a.close(Duration.ofSeconds(5)));
    admins.clear();
  }
}
