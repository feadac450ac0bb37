package dev.kafkadr.controller.api;

import dev.kafkadr.controller.workflow.WorkflowRun;
import dev.kafkadr.controller.workflow.Workflows;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
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

  WorkflowResource(Workflows workflows) {
    this.workflows = workflows;
  }

  /** Every workflow this controller knows, newest first. */
  @GET
  @Path("/workflows")
  @Operation(summary = "Every workflow, newest first, with its steps and outcome")
  public List<WorkflowRun.View> list() {
    return workflows.list();
  }

  /** One workflow: its steps, timings, progress, facts and outcome. */
  @GET
  @Path("/workflows/{id}")
  @Operation(summary = "One workflow: steps with timings and progress, facts, outcome")
  @APIResponse(responseCode = "404", description = "No workflow with this id")
  public WorkflowRun.View get(@PathParam("id") String id) {
    return workflows.get(id).orElseThrow(() -> new NotFoundException("no workflow \"" + id + "\""));
  }

  /** The audit log, oldest first. */
  @GET
  @Path("/audit")
  @Operation(summary = "The audit log: who did what, when, to which tenant, with what outcome")
  public List<Map<String, Object>> audit() {
    return workflows.audit();
  }
}
