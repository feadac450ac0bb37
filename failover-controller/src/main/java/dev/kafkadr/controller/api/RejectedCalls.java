package dev.kafkadr.controller.api;

import dev.kafkadr.controller.workflow.Workflows;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes every API call refused for want of authentication (401) or of a role (403) to the audit
 * log: who tried (the user name given, never the password), what, and why.
 */
@ApplicationScoped
public class RejectedCalls {

  private final Workflows workflows;

  RejectedCalls(Workflows workflows) {
    this.workflows = workflows;
  }

  void register(@Observes Filters filters) {
    filters.register(
        rc -> {
          if (rc.request().path().startsWith("/api/")) {
            rc.addEndHandler(
                done -> {
                  int status = rc.response().getStatusCode();
                  if (status == 401 || status == 403) {
                    workflows.rejected(
                        user(rc.request().getHeader("Authorization")),
                        rc.request().method() + " " + rc.request().path(),
                        status);
                  }
                });
          }
          rc.next();
        },
        // Before the security handlers, which end a refused request without calling later ones.
        Integer.MAX_VALUE - 100);
  }

  /**
   * The user name of a basic Authorization header, "bearer token" for a token (whose subject is not
   * known unless it verified), or "anonymous".
   */
  static String user(String authorization) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "bearer token";
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return "anonymous";
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? "anonymous" : decoded.substring(0, colon);
    } catch (IllegalArgumentException e) {
      return "anonymous";
    }
  }
}
