package dev.kafkadr.controller.api;

import dev.kafkadr.controller.LagMonitor;
import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.migration.CopyProgress;
import dev.kafkadr.controller.migration.CopyProgressTracker;
import dev.kafkadr.controller.migration.MigrationPlan;
import dev.kafkadr.controller.migration.MigrationPlanner;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * A tenant's migration to another cluster (on-prem Kafka to Amazon MSK): the plan, measured on the
 * clusters at each request, nothing changed; the copy's progress, from the lag monitor's scans.
 */
@RolesAllowed({"viewer", "operator"})
@Path("/api/tenants/{tenant}/migration")
@Produces(MediaType.APPLICATION_JSON)
public class MigrationResource {

  private final LagMonitor monitor;
  private final TenantScope scope;
  private final CopyProgressTracker progress;

  MigrationResource(LagMonitor monitor, TenantScope scope, CopyProgressTracker progress) {
    this.monitor = monitor;
    this.scope = scope;
    this.progress = progress;
  }

  /**
   * How far the copy of the tenant's topics to {@code target} has come, from the lag monitor's
   * newest scan: per topic and in all, offsets on the source and on the target, percent, and the
   * rate and time left measured over up to a minute of scans. 400 when more than one flow carries
   * the tenant and no {@code target} is named; 503 with the reason when no scan of the flow exists
   * yet, the newest one failed, or it is stale.
   */
  @GET
  @Path("/progress")
  @Operation(summary = "How far the copy of a tenant's topics has come: per topic, rate, time left")
  @APIResponse(responseCode = "404", description = "No tenant with this id the caller may read")
  @APIResponse(responseCode = "400", description = "More than one flow; name the target")
  @APIResponse(responseCode = "503", description = "No fresh scan of the tenant's flow")
  public CopyProgress progress(
      @PathParam("tenant") String tenant, @QueryParam("target") String target) {
    scope.requireKnown(tenant);
    List<FlowLag> flows =
        monitor.latest().flows().stream()
            .filter(f -> f.tenant().equals(tenant))
            .filter(f -> target == null || f.target().equals(target))
            .toList();
    if (flows.isEmpty()) {
      // Right after the controller starts, or for a target no flow of the tenant's goes to.
      throw failed(
          503,
          "no scan of a flow carrying "
              + tenant
              + (target == null ? "" : " to " + target)
              + " yet");
    }
    if (flows.size() > 1) {
      throw failed(400, "more than one flow carries " + tenant + ": name the target");
    }
    FlowLag flow = flows.get(0);
    if (!flow.known() && flow.partitions().isEmpty()) {
      throw failed(503, "the newest scan of " + tenant + " failed: " + flow.problem());
    }
    if (flow.staleAt(Instant.now(), monitor.staleAfter())) {
      throw failed(
          503,
          "the newest scan of "
              + tenant
              + " was measured at "
              + flow.measuredAt()
              + ": stale (scans are late), no progress is reported from it");
    }
    return progress.progress(flow);
  }

  /**
   * What would move and what stands in the way: topics (partitions, records, bytes, own configs,
   * Confluent wire format seen), consumer groups with members and lag, producers, ACLs and quotas
   * of the tenant's principals, the target's partition capacity against MSK's limits, blockers and
   * warnings. 400 when no single flow carries the tenant to {@code target}; 503 when a cluster does
   * not answer in time; 502 with the cluster's reason when it refuses a request.
   */
  @GET
  @Path("/plan")
  @Operation(summary = "A tenant's migration plan: inventory, MSK limits, blockers, warnings")
  @APIResponse(responseCode = "404", description = "No tenant with this id the caller may read")
  @APIResponse(responseCode = "400", description = "No single flow to that target")
  @APIResponse(responseCode = "502", description = "A cluster refused a request of the plan")
  @APIResponse(responseCode = "503", description = "A cluster did not answer in time")
  public MigrationPlan plan(
      @PathParam("tenant") String tenant, @QueryParam("target") String target) {
    var known = scope.requireKnown(tenant);
    try {
      return new MigrationPlanner(monitor.tenants()).plan(known, target);
    } catch (IllegalArgumentException e) {
      throw failed(400, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(503, "interrupted");
    } catch (java.util.concurrent.TimeoutException e) {
      throw failed(503, "a cluster did not answer within 30 s; ask again");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw failed(
          cause instanceof org.apache.kafka.common.errors.RetriableException ? 503 : 502,
          "a cluster refused a request of the plan ("
              + cause.getClass().getSimpleName()
              + ": "
              + cause.getMessage()
              + "); a topic or group that changed under it passes when asked again");
    } catch (org.apache.kafka.common.KafkaException e) {
      throw failed(502, "the plan could not be measured: " + e.getMessage());
    } catch (Exception e) {
      throw failed(500, "the plan failed: " + e);
    }
  }

  private static jakarta.ws.rs.WebApplicationException failed(int status, String why) {
    return new jakarta.ws.rs.WebApplicationException(
        Response.status(status).entity(Map.of("error", why)).build());
  }
}
