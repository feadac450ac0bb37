package dev.kafkadr.controller.api;

import dev.kafkadr.controller.workflow.WorkflowKind;
import dev.kafkadr.controller.workflow.WorkflowRefused;
import dev.kafkadr.controller.workflow.WorkflowRun;
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
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Starts a switchover, failover or failback of one tenant, or its dry run. */
@RolesAllowed("operator")
@Path("/api/tenants/{tenant}/workflows")
@Produces(MediaType.APPLICATION_JSON)
public class TenantWorkflowResource {

  /**
   * What to run.
   *
   * @param kind {@code switchover}, {@code failover}, {@code failback}, {@code drill-verify} or
   *     {@code drill-switchover}
   * @param to the cluster to move to; optional when the tenant has one other cluster
   * @param dryRun the plan, the measured data at risk and every side effect, none of them made
   * @param onFailure what a switchover or failback does when a step fails before its switch point:
   *     {@code rollback} (the default: fences lifted, the forward flow resumed, the tenant where it
   *     was) or {@code hold} (everything left as the failed step found it, for a person to look)
   * @param rtoBudgetSeconds a switchover drill's RTO budget in seconds (from fencing the producers
   *     to handing clients the new cluster; past it before the switch point the drill rolls back);
   *     null: the tenant's RTO
   */
  public record WorkflowRequest(
      String kind, String to, boolean dryRun, String onFailure, Integer rtoBudgetSeconds) {}

  private final Workflows workflows;
  private final SecurityIdentity identity;
  private final TenantScope scope;

  TenantWorkflowResource(Workflows workflows, SecurityIdentity identity, TenantScope scope) {
    this.workflows = workflows;
    this.identity = identity;
    this.scope = scope;
  }

  /** Starts a workflow for the tenant, or makes its plan with {@code dryRun}. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Start a switchover, failover or failback of the tenant (or its dry run)")
  @APIResponse(responseCode = "202", description = "Started; follow it at /api/workflows/{id}")
  @APIResponse(responseCode = "200", description = "The dry run's plan")
  @APIResponse(responseCode = "400", description = "Unknown tenant, kind or cluster")
  @APIResponse(responseCode = "403", description = "The caller only reads this tenant")
  @APIResponse(responseCode = "404", description = "A tenant the caller holds no role of")
  @APIResponse(responseCode = "409", description = "Another workflow holds the tenant")
  public Response start(@PathParam("tenant") String tenant, WorkflowRequest request) {
    scope.requireOperates(tenant);
    if (request == null || request.kind() == null) {
      throw new BadRequestException(
          "the body needs \"kind\": switchover, failover, failback, drill-verify,"
              + " drill-switchover or migration-verify");
    }
    WorkflowKind kind;
    try {
      kind = WorkflowKind.ofApiName(request.kind());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          "\"kind\": \""
              + request.kind()
              + "\" is not switchover, failover, failback, drill-verify, drill-switchover or"
              + " migration-verify");
    }
    String onFailure = request.onFailure() == null ? "rollback" : request.onFailure();
    if (!"rollback".equals(onFailure) && !"hold".equals(onFailure)) {
      throw new BadRequestException(
          Response.status(400)
              .entity(
                  Map.of("error", "\"onFailure\": \"" + onFailure + "\" is not rollback or hold"))
              .build());
    }
    Integer budget = request.rtoBudgetSeconds();
    if (budget != null && (kind != WorkflowKind.DRILL_SWITCHOVER || budget < 1)) {
      throw new BadRequestException(
          Response.status(400)
              .entity(
                  Map.of(
                      "error",
                      "\"rtoBudgetSeconds\": a whole number of seconds >= 1, for drill-switchover"))
              .build());
    }
    try {
      WorkflowRun.View view =
          workflows.start(
              tenant,
              kind,
              Optional.ofNullable(request.to()).filter(s -> !s.isBlank()),
              request.dryRun(),
              actor(),
              "hold".equals(onFailure),
              budget == null ? Map.of() : Map.of("rtoBudgetSeconds", budget));
      return Response.status(request.dryRun() ? 200 : 202).entity(view).build();
    } catch (WorkflowRefused e) {
      workflows.refused(actor(), kind, tenant, e.getMessage());
      throw new ClientErrorException(
          Response.status(409).entity(Map.of("error", e.getMessage())).build());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          Response.status(400).entity(Map.of("error", e.getMessage())).build());
    }
  }

  private String actor() {
    return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
  }
}
