package dev.kafkadr.controller.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kafkadr.controller.ControllerConfig;
import dev.kafkadr.controller.workflow.Workflows;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stands before the security handlers: a request with HTTP basic credentials that would be hashed
 * ({@link UsersIdentityProvider#wouldHash}) is admitted by the {@link LoginThrottle} first, or
 * answered 429 with {@code Retry-After} (seconds) and a JSON body {@code {"error": ...,
 * "retryAfterSeconds": n}} without hashing. The first refusal of each spent allowance is written to
 * the audit log (user, address, which allowance); each refusal counts in {@code
 * kdr_auth_logins_slowed_total{allowance}}. Requests with credentials that verified lately, with
 * bearer tokens or with none pass untouched.
 *
 * <p>The client address is the connection's peer, or the one a trusted proxy names when {@code
 * quarkus.http.proxy.proxy-address-forwarding} is on (README, behind a load balancer).
 */
@ApplicationScoped
public class LoginGate {

  /** The routing context's key under which the identity provider says a password verified. */
  static final String VERIFIED = "kdr.login.verified";

  private final UsersIdentityProvider users;
  private final Workflows workflows;
  private final MeterRegistry meters;
  private final LoginThrottle throttle;
  private final Cache<String, Boolean> audited;

  LoginGate(
      ControllerConfig config,
      UsersIdentityProvider users,
      Workflows workflows,
      MeterRegistry meters) {
    this.users = users;
    this.workflows = workflows;
    this.meters = meters;
    this.throttle = new LoginThrottle(config.auth().failedLogins());
    this.audited =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(config.auth().failedLogins().refill())
            .build();
  }

  void register(@Observes Filters filters) {
    // Before RejectedCalls (Integer.MAX_VALUE - 100) and the security handlers.
    filters.register(this::filter, Integer.MAX_VALUE - 50);
  }

  private void filter(RoutingContext rc) {
    List<String> headers = rc.request().headers().getAll("Authorization");
    if (headers.size() > 1) {
      // Quarkus would try each: one of them could be hashed without passing here.
      rc.response()
          .setStatusCode(400)
          .putHeader("Content-Type", "application/json")
          .end("{\"error\":\"a request carries one Authorization header\"}");
      return;
    }
    Optional<BasicCredentials> credentials =
        BasicCredentials.of(headers.isEmpty() ? null : headers.get(0));
    if (credentials.isEmpty() || !users.wouldHash(credentials.get())) {
      rc.next();
      return;
    }
    String address = ClientAddress.of(rc);
    LoginThrottle.Admission admission = throttle.admit(credentials.get().user(), address);
    if (admission.refused()) {
      refuse(rc, admission);
      return;
    }
    // Tokens come back only for a password that verified: not for a client that hung up before
    // the answer (the end handler runs then too), nor for any other answer.
    rc.addEndHandler(
        done -> {
          if (Boolean.TRUE.equals(rc.get(VERIFIED))) {
            throttle.succeeded(admission);
          }
        });
    rc.next();
  }

  private void refuse(RoutingContext rc, LoginThrottle.Admission admission) {
    String by = admission.refusedBy().orElseThrow();
    long seconds = Math.max(1, (admission.retryAfter().toMillis() + 999) / 1000);
    meters.counter("kdr.auth.logins.slowed", "allowance", by).increment();
    String key = "address".equals(by) ? "a\n" + admission.address() : "u\n" + admission.user();
    if (audited.asMap().putIfAbsent(key, Boolean.TRUE) == null) {
      workflows.refusedCall(
          admission.user(),
          "login",
          "failed logins slowed: the " + by + " allowance is spent",
          Map.of("from", admission.address(), "allowance", by, "retryAfterSeconds", seconds));
    }
    rc.response()
        .setStatusCode(429)
        .putHeader("Retry-After", Long.toString(seconds))
        .putHeader("Content-Type", "application/json")
        .end(
            "{\"error\":\"too many failed logins "
                + ("address".equals(by) ? "from this address" : "for this user")
                + "; try again later\",\"retryAfterSeconds\":"
                + seconds
                + "}");
  }
}
