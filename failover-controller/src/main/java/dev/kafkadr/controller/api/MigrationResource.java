package dev.kafkadr.controller.api;

import dev.kafkadr.controller.LagMonitor;
import dev.kafkadr.controller.migration.MigrationPlan;
import dev.kafkadr.controller.migration.MigrationPlanner;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * A tenant's migration to another cluster (on-prem Kafka to Amazon MSK): the plan, measured on the
 * clusters at each request, nothing changed.
 */
@RolesAllowed({"viewer", "operator"})
@Path("/api/tenants/{tenant}/migration")
@Produces(MediaType.APPLICATION_JSON)
public class MigrationResource {

  private final LagMonitor monitor;
  private final TenantScope scope;

  MigrationResource(LagMonitor monitor, TenantScope scope) {
    this.monitor = monitor;
    this.scope = scope;
  }

  /**
   * What would move and what stands in the way: topics (partitions, records, bytes, own configs,
   * Confluent wire format seen), consumer groups with members and lag, producers, ACLs and quotas
   * of the tenant's principals, the target's partition capacity against MSK's limits, blockers and
   * warnings. 400 when no single flow carries the tenant to {@code target}; 503 when a cluster does
   * not answer.
   */
  @GET
  @Path("/plan")
  @Operation(summary = "A tenant's migration plan: inventory, MSK limits, blockers, warnings")
  @APIResponse(responseCode = "404", description = "No tenant with this id the caller may read")
  @APIResponse(responseCode = "400", description = "No single flow to that target")
  @APIResponse(responseCode = "503", description = "A cluster did not answer in time")
  public MigrationPlan plan(
      @PathParam("tenant") String tenant, @QueryParam("target") String target) {
    var known = scope.requireKnown(tenant);
    try {
      return new MigrationPlanner(monitor.tenants()).plan(known, target);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          Response.status(400).entity(Map.of("error", e.getMessage())).build());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(e);
    } catch (Exception e) {
      throw unavailable(e);
    }
  }

  private static ServiceUnavailableException unavailable(Exception e) {
    return new ServiceUnavailableException(
        Response.status(503)
            .entity(Map.of("error", "the clusters did not answer for the plan: " + e))
            .build());
  }
}
