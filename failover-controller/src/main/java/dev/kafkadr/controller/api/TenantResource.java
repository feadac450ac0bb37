package dev.kafkadr.controller.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kafkadr.controller.LagMonitor;
import dev.kafkadr.controller.lag.FlowHealth;
import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.Gap;
import dev.kafkadr.controller.lag.GroupLag;
import dev.kafkadr.controller.lag.LagHistory;
import dev.kafkadr.controller.lag.PartitionLag;
import dev.kafkadr.controller.lag.RpoStatus;
import dev.kafkadr.controller.lag.Scan;
import dev.kafkadr.tenant.Tenant;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Every tenant's replication lag, data at risk and RPO status, from the newest scan. */
@RolesAllowed({"viewer", "operator"})
@Path("/api/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {

  private final LagMonitor monitor;
  private final TenantScope scope;

  TenantResource(LagMonitor monitor, TenantScope scope) {
    this.monitor = monitor;
    this.scope = scope;
  }

  /**
   * A tenant's view: its RPO, its worst status over its flows, and each flow.
   *
   * @param tenant tenant id
   * @param rpoSeconds the tenant's RPO
   * @param status the worst status of its flows
   * @param scannedAt when the newest scan started
   * @param scanSeconds how long that scan took
   * @param scannedBy the controller replica that made it (on etcd, followers serve the leader's)
   * @param flows one per flow carrying the tenant
   */
  public record TenantView(
      String tenant,
      double rpoSeconds,
      RpoStatus status,
      Instant scannedAt,
      double scanSeconds,
      String scannedBy,
      List<FlowView> flows) {}

  /**
   * One flow of a tenant; partitions only in the detail.
   *
   * @param source source cluster alias
   * @param target target cluster alias
   * @param lagRecords offsets not yet copied at any moment of the scan, at most; -1 when unknown
   * @param lagSeconds age at {@code measuredAt} of the oldest record not yet copied (the data at
   *     risk, in time); -1 when unknown
   * @param status against the RPO; UNKNOWN when not measured, or measured longer ago than three
   *     scan intervals
   * @param measuredAt the instant the figures hold for (after the copy was read, before the source)
   * @param measurementAgeSeconds how old that instant is now
   * @param problem why it could not be measured, or why the measurement is stale
   * @param gaps records lost to the copy
   * @param health the flow's connectors and tasks, and its heartbeat age
   * @param partitions per source partition, in the detail only
   * @param groups the tenant's consumer groups per partition, in the detail only
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FlowView(
      String source,
      String target,
      long lagRecords,
      double lagSeconds,
      RpoStatus status,
      Instant measuredAt,
      double measurementAgeSeconds,
      String problem,
      List<Gap> gaps,
      FlowHealth health,
      List<PartitionLag> partitions,
      List<GroupLag> groups) {}

  /** Every tenant the caller may read, with its lag and status per flow. */
  @GET
  @Operation(
      summary = "Every tenant the caller may read: lag, data at risk and RPO status per flow")
  public List<TenantView> tenants() {
    Scan scan = monitor.latest();
    return scope
        .readable(monitor.tenants().tenants().stream(), Tenant::id)
        .map(t -> view(t, scan, false, monitor))
        .toList();
  }

  /** One tenant with every partition of every flow; 404 for an unknown tenant. */
  @GET
  @Path("/{tenant}/lag")
  @Operation(summary = "One tenant: lag per topic-partition on every flow, and gaps")
  @APIResponse(responseCode = "404", description = "No tenant with this id the caller may read")
  public TenantView lag(@PathParam("tenant") String id) {
    return view(scope.requireKnown(id), monitor.latest(), true, monitor);
  }

  /** The tenant's lag per flow over the last ten minutes, one point per scan; 404 when unknown. */
  @GET
  @Path("/{tenant}/history")
  @Operation(summary = "One tenant: lag per flow over the last ten minutes, one point per scan")
  @APIResponse(responseCode = "404", description = "No tenant with this id the caller may read")
  public List<LagHistory.Point> history(@PathParam("tenant") String id) {
    return monitor.history().of(scope.requireKnown(id).id());
  }

  private static TenantView view(Tenant tenant, Scan scan, boolean detail, LagMonitor monitor) {
    Instant now = Instant.now();
    List<FlowView> flows =
        scan.flows().stream()
            .filter(f -> f.tenant().equals(tenant.id()))
            .map(f -> flow(f, detail, now, monitor.staleAfter()))
            .toList();
    RpoStatus worst =
        flows.isEmpty()
            ? RpoStatus.UNKNOWN
            : flows.stream().map(FlowView::status).reduce(RpoStatus.OK, RpoStatus::worse);
    return new TenantView(
        tenant.id(),
        tenant.rpo().toMillis() / 1000.0,
        worst,
        scan.at(),
        scan.took().toMillis() / 1000.0,
        scan.replica(),
        flows);
  }

  /** A flow's view; a measurement older than {@code staleAfter} is UNKNOWN, and says why. */
  private static FlowView flow(FlowLag f, boolean detail, Instant now, Duration staleAfter) {
    double age = Math.max(0, Duration.between(f.measuredAt(), now).toMillis() / 1000.0);
    boolean stale = f.staleAt(now, staleAfter);
    String problem =
        stale
            ? String.format(
                java.util.Locale.ROOT,
                "the newest measurement is %.1f s old, older than three scan intervals"
                    + " (%d s): scans are late%s",
                age,
                staleAfter.toSeconds(),
                f.problem() == null ? "" : "; " + f.problem())
            : f.problem();
    return new FlowView(
        f.source(),
        f.target(),
        f.lagRecords(),
        f.lagSeconds(),
        stale ? RpoStatus.UNKNOWN : f.status(),
        f.measuredAt(),
        age,
        problem,
        f.gaps(),
        f.health(),
        detail ? f.partitions() : null,
        detail ? f.groups() : null);
  }
}
