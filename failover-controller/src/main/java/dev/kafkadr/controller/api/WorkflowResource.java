package dev.kafkadr.controller.api;

import dev.kafkadr.controller.workflow.WorkflowRun;
import dev.kafkadr.controller.workflow.Workflows;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Workflows: follow one, list them; the audit log. */
@RolesAllowed({"viewer", "operator"})
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {

  private final Workflows workflows;
  private final TenantScope scope;

  WorkflowResource(Workflows workflows, TenantScope scope) {
    this.workflows = workflows;
    this.scope = scope;
  }

  /** Every workflow of the tenants the caller may read, newest first. */
  @GET
  @Path("/workflows")
  @Operation(summary = "Every workflow of the caller's tenants, newest first, with its steps")
  public List<WorkflowRun.View> list() {
    return scope.readable(workflows.list().stream(), WorkflowRun.View::tenant).toList();
  }

  /** One workflow: its steps, timings, progress, facts and outcome. */
  @GET
  @Path("/workflows/{workflow}")
  @Operation(summary = "One workflow: steps with timings and progress, facts, outcome")
  @APIResponse(
      responseCode = "404",
      description = "No workflow with this id of the caller's tenants")
  public WorkflowRun.View get(@PathParam("workflow") String id) {
    return workflows
        .get(id)
        .filter(v -> scope.reads(v.tenant()))
        .orElseThrow(() -> TenantScope.notFound("no workflow \"" + id + "\""));
  }

  /**
   * The audit log, oldest first: for a user of some tenants only, the entries naming one of them
   * (entries about no tenant, such as the automatic failover switch, are for users of every
   * tenant).
   */
  @GET
  @Path("/audit")
  @Operation(summary = "The audit log: who did what, when, to which tenant, with what outcome")
  public List<Map<String, Object>> audit() {
    if (scope.grants().readsEverything()) {
      return workflows.audit();
    }
    return scope.readable(workflows.audit().stream(), e -> (String) e.get("tenant")).toList();
  }
}
