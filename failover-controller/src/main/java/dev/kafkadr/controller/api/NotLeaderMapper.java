package dev.kafkadr.controller.api;

import dev.kafkadr.controller.store.NotLeader;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A write sent to a replica that does not lead: 307 Temporary Redirect to the same path on the
 * leader (the method and body are to be sent again there), or 503 with {@code Retry-After} when no
 * replica leads; the body says which, with the stable code {@code not-leader} or {@code no-leader}.
 */
@Provider
public class NotLeaderMapper implements ExceptionMapper<NotLeader> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(NotLeader e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.getMessage());
    e.leader().ifPresent(l -> body.put("leader", l));
    if (e.leaderUrl().isPresent()) {
      URI request = uri.getRequestUri();
      URI to =
          URI.create(
              e.leaderUrl().get().replaceAll("/+$", "")
                  + request.getRawPath()
                  + (request.getRawQuery() == null ? "" : "?" + request.getRawQuery()));
      body.put("code", "not-leader");
      body.put("leaderUrl", e.leaderUrl().get());
      return Response.temporaryRedirect(to).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
    body.put("code", "no-leader");
    return Response.status(503)
        .header("Retry-After", "2")
        .type(MediaType.APPLICATION_JSON)
        .entity(body)
        .build();
  }
}
