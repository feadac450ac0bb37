package dev.kafkadr.controller.api;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * One tenant's Prometheus series, for the tenant's own team to scrape with its own credentials (the
 * whole-service {@code /q/metrics} is for users of every tenant): every series of the controller's
 * registry labelled with the tenant, in Prometheus' text format.
 */
@RolesAllowed({"viewer", "operator"})
@Path("/api/tenants/{tenant}/metrics")
public class TenantMetricsResource {

  private final PrometheusMeterRegistry registry;
  private final TenantScope scope;

  TenantMetricsResource(PrometheusMeterRegistry registry, TenantScope scope) {
    this.registry = registry;
    this.scope = scope;
  }

  /** The tenant's series: lag, data at risk, RPO status, workflows, fences; 404 when unknown. */
  @GET
  @Produces("text/plain; version=0.0.4; charset=utf-8")
  @Operation(summary = "One tenant's Prometheus series (text format), for its team's Prometheus")
  @APIResponse(responseCode = "404", description = "No tenant with this id the caller may read")
  public String metrics(@PathParam("tenant") String tenant) {
    scope.requireKnown(tenant);
    return TenantSeries.of(registry.scrape(), tenant);
  }
}
