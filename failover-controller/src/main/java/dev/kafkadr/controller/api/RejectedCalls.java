package dev.kafkadr.controller.api;

import dev.kafkadr.controller.auth.BasicCredentials;
import dev.kafkadr.controller.auth.ClientAddress;
import dev.kafkadr.controller.workflow.Workflows;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * Writes every API call refused for want of authentication (401) or of a role (403) to the audit
 * log: who tried (the user name given, never the password), from which address, what, and why.
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
                    workflows.refusedCall(
                        user(rc.request().getHeader("Authorization")),
                        rc.request().method() + " " + rc.request().path(),
                        status == 401 ? "not authenticated" : "role missing",
                        Map.of("from", ClientAddress.of(rc)));
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
    return BasicCredentials.of(authorization)
        .map(BasicCredentials::user)
        .filter(u -> !u.isEmpty())
        .orElse("anonymous");
  }
}
