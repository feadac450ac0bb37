package dev.kafkadr.controller.api;

import dev.kafkadr.controller.failover.AutoFailoverDecision;
import dev.kafkadr.controller.failover.AutoFailovers;
import dev.kafkadr.controller.failover.Observation;
import dev.kafkadr.controller.failover.Reachability;
import dev.kafkadr.controller.store.Leadership;
import dev.kafkadr.controller.store.StoreException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Automatic failover as this replica sees it: whether it is enabled everywhere, where each tenant
 * stands and why, and every vantage point's newest probes; and the switch that disables it for
 * every tenant on every replica.
 */
@Path("/api/failover/automatic")
@Produces(MediaType.APPLICATION_JSON)
public class AutoFailoverResource {

  /**
   * The switch.
   *
   * @param enabled false disables automatic failover for every tenant; true enables it again
   * @param reason why, for the audit log and the alert
   */
  public record Switch(Boolean enabled, String reason) {}

  private final AutoFailovers auto;
  private final Reachability reachability;
  private final Leadership leadership;
  private final SecurityIdentity identity;
  private final dev.kafkadr.controller.failover.StoreLossFence storeLoss;
  private final TenantScope scope;
  private final dev.kafkadr.controller.LagMonitor monitor;

  AutoFailoverResource(
      AutoFailovers auto,
      Reachability reachability,
      Leadership leadership,
      SecurityIdentity identity,
      dev.kafkadr.controller.failover.StoreLossFence storeLoss,
      TenantScope scope,
      dev.kafkadr.controller.LagMonitor monitor) {
    this.scope = scope;
    this.monitor = monitor;
    this.storeLoss = storeLoss;
    this.auto = auto;
    this.reachability = reachability;
    this.leadership = leadership;
    this.identity = identity;
  }

  /**
   * Where automatic failover stands: {@code enabled}, {@code tenants} (those the caller may read),
   * {@code vantagePoints}, and the fences this replica raised because it lost the store ({@code
   * fencedOnStoreLoss}, of the caller's tenants).
   */
  @GET
  @RolesAllowed({"viewer", "operator"})
  @Operation(summary = "Automatic failover: enabled, each tenant's state, the vantage points")
  public Map<String, Object> get() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("replica", leadership.replicaId());
    out.put("leads", leadership.leads());
    try {
      var disabled = auto.disabled();
      out.put("enabled", disabled.isEmpty());
      disabled.ifPresent(d -> out.put("disabled", d));
    } catch (StoreException e) {
      out.put("enabled", null);
      out.put("storeProblem", e.getMessage());
    }
    Map<String, Object> tenants = new TreeMap<>();
    for (var e : auto.outcomes().entrySet()) {
      if (!scope.reads(e.getKey())) {
        continue;
      }
      AutoFailoverDecision.Outcome o = e.getValue();
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("state", o.state().name());
      t.put("reason", o.reason());
      t.put("evidence", o.evidence());
      tenants.put(e.getKey(), t);
    }
    out.put("tenants", tenants);
    List<Observation> seen;
    try {
      seen = reachability.all();
    } catch (StoreException e) {
      seen = reachability.latest().map(List::of).orElse(List.of());
    }
    out.put("vantagePoints", scope.grants().readsEverything() ? seen : visible(seen));
    Map<String, Object> fenced = new TreeMap<>();
    storeLoss
        .fenced()
        .forEach(
            (tenant, f) -> {
              if (scope.reads(tenant)) {
                fenced.put(tenant, f);
              }
            });
    out.put("fencedOnStoreLoss", fenced);
    return out;
  }

  /**
   * The probes of the clusters the caller's tenants' flows use: another team's clusters are not
   * shown to a user of some tenants only.
   */
  private List<Observation> visible(List<Observation> seen) {
    var file = monitor.tenants();
    java.util.Set<String> clusters = new java.util.HashSet<>();
    file.flows().stream()
        .filter(f -> f.tenants().stream().anyMatch(scope::reads))
        .forEach(
            f -> {
              clusters.add(f.source());
              clusters.add(f.target());
            });
    return seen.stream()
        .map(
            o -> {
              Map<String, Observation.Probe> kept = new TreeMap<>(o.clusters());
              kept.keySet().retainAll(clusters);
              return new Observation(o.replica(), o.region(), o.at(), o.intervalMillis(), kept);
            })
        .toList();
  }

  /**
   * Disables or enables automatic failover everywhere; answered by the leader; only by an operator
   * of every tenant.
   */
  @PUT
  @RolesAllowed("operator")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Disable (or enable again) automatic failover for every tenant")
  @APIResponse(responseCode = "200", description = "The switch as it now stands")
  @APIResponse(responseCode = "400", description = "No 'enabled' given")
  @APIResponse(responseCode = "403", description = "Not an operator of every tenant")
  @APIResponse(responseCode = "307", description = "Not the leader: sent to it")
  public Map<String, Object> set(Switch request) {
    scope.requireEverywhere("operator");
    if (request == null || request.enabled() == null) {
      throw new BadRequestException(
          Response.status(400)
              .entity(
                  Map.of(
                      "error",
                      "say {\"enabled\": false, \"reason\": \"...\"} or {\"enabled\": true}"))
              .build());
    }
    var disabled =
        auto.setEnabled(request.enabled(), identity.getPrincipal().getName(), request.reason());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("enabled", disabled.isEmpty());
    disabled.ifPresent(d -> out.put("disabled", d));
    return out;
  }
}
