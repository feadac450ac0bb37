package dev.kafkadr.controller.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkadr.controller.events.TenantEvent;
import dev.kafkadr.controller.events.TenantEvents;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * A tenant's events as JSON lines, one {@link TenantEvent} per line, after a cursor: what its team
 * reads, follows and forwards to its own log sink ({@code failover-controller/README.md}, "Events
 * for a team").
 */
@RolesAllowed({"viewer", "operator"})
@Path("/api/tenants/{tenant}/events")
public class TenantEventsResource {

  /** The most events one page answers. */
  static final int MAX_LIMIT = 1000;

  private final TenantEvents events;
  private final TenantScope scope;
  private final ObjectMapper json;

  TenantEventsResource(TenantEvents events, TenantScope scope, ObjectMapper json) {
    this.events = events;
    this.scope = scope;
    this.json = json;
  }

  /**
   * The tenant's events after {@code after} (all kept without it), oldest first, at most {@code
   * limit} (1 to 1000, 1000 by default); the header {@code Kdr-Next-Cursor} says where to read on.
   */
  @GET
  @Produces("application/x-ndjson")
  @Operation(summary = "One tenant's events as JSON lines after a cursor, for its team's log sink")
  @APIResponse(responseCode = "200", description = "JSON lines; Kdr-Next-Cursor: where to go on")
  @APIResponse(responseCode = "400", description = "'after' is no cursor, or 'limit' out of range")
  @APIResponse(responseCode = "404", description = "No tenant with this id the caller may read")
  public Response read(
      @PathParam("tenant") String tenant,
      @QueryParam("after") String after,
      @QueryParam("limit") Integer limit) {
    scope.requireKnown(tenant);
    int most = limit == null ? MAX_LIMIT : limit;
    if (most < 1 || most > MAX_LIMIT) {
      throw badRequest("\"limit\": " + most + " is not between 1 and " + MAX_LIMIT);
    }
    TenantEvents.Page page;
    try {
      page = events.since(after, tenant, most);
    } catch (IllegalArgumentException e) {
      throw badRequest(e.getMessage());
    }
    StringBuilder body = new StringBuilder();
    for (TenantEvent e : page.events()) {
      try {
        body.append(json.writeValueAsString(e)).append('\n');
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException("an event cannot be written as JSON", ex);
      }
    }
    return Response.ok(body.toString()).header("Kdr-Next-Cursor", page.next()).build();
  }

  private static BadRequestException badRequest(String why) {
    return new BadRequestException(
        Response.status(400).type(MediaType.APPLICATION_JSON).entity(Map.of("error", why)).build());
  }
}
