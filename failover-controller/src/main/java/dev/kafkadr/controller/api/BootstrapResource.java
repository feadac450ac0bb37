package dev.kafkadr.controller.api;

import dev.kafkadr.controller.LagMonitor;
import dev.kafkadr.controller.registry.BootstrapRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The bootstrap registry: where a tenant's clients go now. JSON for people and tools; Java
 * properties ({@code text/plain}) for kafka-dr's Kafka ConfigProvider, which needs no JSON library
 * in the client.
 */
@RolesAllowed({"client", "viewer", "operator"})
@Path("/api/tenants/{tenant}/bootstrap")
public class BootstrapResource {

  private final LagMonitor monitor;
  private final TenantScope scope;

  BootstrapResource(LagMonitor monitor, TenantScope scope) {
    this.monitor = monitor;
    this.scope = scope;
  }

  /** The tenant's current cluster, bootstrap servers, cluster id and epoch. */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Where the tenant's clients go now: bootstrap servers, cluster id, epoch")
  @APIResponse(responseCode = "404", description = "No tenant with this id the caller may read")
  public BootstrapRegistry.Entry json(@PathParam("tenant") String id) {
    return entry(id);
  }

  /** The same as Java properties: {@code bootstrap.servers}, {@code cluster.id}, {@code epoch}. */
  @GET
  @Produces(MediaType.TEXT_PLAIN)
  public String properties(@PathParam("tenant") String id) {
    BootstrapRegistry.Entry e = entry(id);
    return "bootstrap.servers="
        + e.bootstrapServers()
        + "\ncluster="
        + e.cluster()
        + "\ncluster.id="
        + (e.clusterId() == null ? "" : e.clusterId())
        + "\nepoch="
        + e.epoch()
        + "\n";
  }

  private BootstrapRegistry.Entry entry(String id) {
    scope.requireBootstrap(id);
    return monitor.bootstrap().get(id).orElseThrow(() -> TenantScope.noTenant(id));
  }
}
