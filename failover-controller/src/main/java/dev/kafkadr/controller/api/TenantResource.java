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
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
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

  TenantResource(LagMonitor monitor) {
    this.monitor = monitor;
  }

  /**
   * A tenant's view: its RPO, its worst status over its flows, and each flow.
   *
   * @param tenant tenant id
   * @param rpoSeconds the tenant's RPO
   * @param status the worst status of its flows
   * @param scannedAt when the scan ran
   * @param flows one per flow carrying the tenant
   */
  public record TenantView(
      String tenant,
      double rpoSeconds,
      RpoStatus status,
      Instant scannedAt,
      List<FlowView> flows) {}

  /**
   * One flow of a tenant; partitions only in the detail.
   *
   * @param source source cluster alias
   * @param target target cluster alias
   * @param lagRecords offsets not yet copied
   * @param lagSeconds age of the oldest record not yet copied (the data at risk, in time)
   * @param status against the RPO
   * @param problem why it could not be measured, when it could not
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
      String problem,
      List<Gap> gaps,
      FlowHealth health,
      List<PartitionLag> partitions,
      List<GroupLag> groups) {}

  /** Every tenant with its lag and status per flow. */
  @GET
  @Operation(summary = "Every tenant: lag, data at risk and RPO status per flow")
  public List<TenantView> tenants() {
    Scan scan = monitor.latest();
    return monitor.tenants().tenants().stream().map(t -> view(t, scan, false)).toList();
  }

  /** One tenant with every partition of every flow; 404 for an unknown tenant. */
  @GET
  @Path("/{id}/lag")
  @Operation(summary = "One tenant: lag per topic-partition on every flow, and gaps")
  @APIResponse(responseCode = "404", description = "No tenant with this id")
  public TenantView lag(@PathParam("id") String id) {
    Tenant tenant =
        monitor.tenants().tenants().stream()
            .filter(t -> t.id().equals(id))
            .findFirst()
            .orElseThrow(() -> new NotFoundException("no tenant \"" + id + "\""));
    return view(tenant, monitor.latest(), true);
  }

  /** The tenant's lag per flow over the last ten minutes, one point per scan; 404 when unknown. */
  @GET
  @Path("/{id}/history")
  @Operation(summary = "One tenant: lag per flow over the last ten minutes, one point per scan")
  @APIResponse(responseCode = "404", description = "No tenant with this id")
  public List<LagHistory.Point> history(@PathParam("id") String id) {
    if (monitor.tenants().tenants().stream().noneMatch(t -> t.id().equals(id))) {
      throw new NotFoundException("no tenant \"" + id + "\"");
    }
    return monitor.history().of(id);
  }

  private static TenantView view(Tenant tenant, Scan scan, boolean detail) {
    List<FlowLag> flows =
        scan.flows().stream().filter(f -> f.tenant().equals(tenant.id())).toList();
    RpoStatus worst =
        flows.isEmpty()
            ? RpoStatus.UNKNOWN
            : flows.stream().map(FlowLag::status).reduce(RpoStatus.OK, RpoStatus::worse);
    return new TenantView(
        tenant.id(),
        tenant.rpo().toMillis() / 1000.0,
        worst,
        scan.at(),
        flows.stream()
            .map(
                f ->
                    new FlowView(
                        f.source(),
                        f.target(),
                        f.lagRecords(),
                        f.lagSeconds(),
                        f.status(),
                        f.problem(),
                        f.gaps(),
                        f.health(),
                        detail ? f.partitions() : null,
                        detail ? f.groups() : null))
            .toList());
  }
}
