package dev.kafkadr.controller.api;

import dev.kafkadr.controller.workflow.WorkflowException;
import dev.kafkadr.controller.workflow.WorkflowRefused;
import dev.kafkadr.controller.workflow.Workflows;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** After an unplanned failover: what the returned old cluster holds that the new one lacks. */
@RolesAllowed("operator")
@Path("/api/tenants/{tenant}/reconcile")
@Produces(MediaType.APPLICATION_JSON)
public class ReconcileResource {

  /**
   * What to do.
   *
   * @param republish publish the missing records again on the new cluster (once per failover)
   */
  public record ReconcileRequest(boolean republish) {}

  private final Workflows workflows;
  private final SecurityIdentity identity;
  private final TenantScope scope;

  ReconcileResource(Workflows workflows, SecurityIdentity identity, TenantScope scope) {
    this.workflows = workflows;
    this.identity = identity;
    this.scope = scope;
  }

  /** Reports (and with {@code republish} publishes again) the records the new cluster lacks. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "After a failover: the old cluster's records the new one lacks")
  @APIResponse(responseCode = "200", description = "The records missing, per partition")
  @APIResponse(responseCode = "400", description = "No failover of this tenant")
  @APIResponse(responseCode = "403", description = "The caller only reads this tenant")
  @APIResponse(responseCode = "404", description = "A tenant the caller holds no role of")
  @APIResponse(responseCode = "409", description = "Already published again")
  public Map<String, Object> reconcile(@PathParam("tenant") String tenant, ReconcileRequest request)
      throws Exception {
    scope.requireOperates(tenant);
    String actor = identity.getPrincipal().getName();
    try {
      return workflows.reconcile(tenant, request != null && request.republish(), actor);
    } catch (WorkflowRefused e) {
      throw new ClientErrorException(
          Response.status(409).entity(Map.of("error", e.getMessage())).build());
    } catch (IllegalArgumentException | WorkflowException e) {
      throw new BadRequestException(
          Response.status(400).entity(Map.of("error", e.getMessage())).build());
    }
  }
}
