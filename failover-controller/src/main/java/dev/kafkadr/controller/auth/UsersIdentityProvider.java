package dev.kafkadr.controller.auth;

import dev.kafkadr.config.auth.PasswordHash;
import dev.kafkadr.controller.ControllerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Checks HTTP basic credentials against the users file ({@code kdr.auth.users-file}); the identity
 * carries each role the user holds for some tenant, and its {@link Grants} as the attribute {@link
 * Grants#ATTRIBUTE} for the per-tenant checks. A login that verified lately is not hashed again
 * ({@link VerifiedLogins}, {@code kdr.auth.verified-for}); the CPU each hash costs is counted in
 * {@code kdr_auth_password_hash_cpu_seconds_total} and each check in {@code
 * kdr_auth_password_checks_total{outcome}} (verified, remembered, refused).
 */
@ApplicationScoped
public class UsersIdentityProvider
    implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

  private static final Logger LOG = Logger.getLogger(UsersIdentityProvider.class);

  private static final String UNKNOWN_USER = PasswordHash.hash("no such user".toCharArray());

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Optional<UsersFile> users;
  private final VerifiedLogins verified;
  private final MeterRegistry meters;
  private final Counter hashCpu;

  UsersIdentityProvider(
      ControllerConfig config,
      MeterRegistry meters,
      @org.eclipse.microprofile.config.inject.ConfigProperty(
              name = "quarkus.http.insecure-requests",
              defaultValue = "enabled")
          String insecureRequests) {
    if (!"disabled".equalsIgnoreCase(insecureRequests)) {
      LOG.warn(
          "the API answers plain HTTP: passwords and tokens sent to it cross the network readable;"
              + " serve HTTPS only (quarkus.tls.key-store.*, quarkus.http.insecure-requests=disabled;"
              + " failover-controller/README.md)");
    }
    this.users = config.auth().usersFile().map(UsersFile::new);
    this.verified = new VerifiedLogins(config.auth().verifiedFor());
    this.meters = meters;
    this.hashCpu =
        Counter.builder("kdr.auth.password.hash.cpu")
            .baseUnit("seconds")
            .description("CPU time spent hashing passwords of logins (PBKDF2)")
            .register(meters);
    if (users.isEmpty()) {
      LOG.warn("kdr.auth.users-file is not set: the API refuses everyone (only /q/health answers)");
    } else {
      users.get().problems().forEach(LOG::warn);
    }
  }

  @Override
  public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
    return UsernamePasswordAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
    return context.runBlocking(
        () -> {
          String name = request.getUsername();
          char[] password = request.getPassword().getPassword();
          Optional<UsersFile.User> user = users.flatMap(u -> u.user(name));
          if (user.isPresent() && verified.contains(name, password, user.get().hash())) {
            count("remembered");
          } else {
            // An unknown user costs the same hash as a known one: the answer's timing tells
            // nothing.
            String hash = user.map(UsersFile.User::hash).orElse(UNKNOWN_USER);
            if (!hashed(password, hash) || user.isEmpty()) {
              count("refused");
              throw new AuthenticationFailedException("wrong user name or password");
            }
            count("verified");
            verified.add(name, password, hash);
          }
          io.vertx.ext.web.RoutingContext rc =
              io.quarkus.vertx.http.runtime.security.HttpSecurityUtils.getRoutingContextAttribute(
                  request);
          if (rc != null) {
            rc.put(LoginGate.VERIFIED, Boolean.TRUE);
          }
          Grants grants = user.get().grants();
          return QuarkusSecurityIdentity.builder()
              .setPrincipal(new QuarkusPrincipal(name))
              .addRoles(grants.roles())
              .addAttribute(Grants.ATTRIBUTE, grants)
              .build();
        });
  }

  /**
   * Whether a login with {@code credentials} would hash its password now: false only when that user
   * name and password verified against the user's current hash lately.
   */
  public boolean wouldHash(BasicCredentials credentials) {
    Optional<UsersFile.User> user = users.flatMap(u -> u.user(credentials.user()));
    return user.isEmpty()
        || !verified.contains(credentials.user(), credentials.password(), user.get().hash());
  }

  private boolean hashed(char[] password, String hash) {
    long start = THREADS.getCurrentThreadCpuTime();
    try {
      return PasswordHash.matches(password, hash);
    } finally {
      hashCpu.increment((THREADS.getCurrentThreadCpuTime() - start) / 1e9);
    }
  }

  private void count(String outcome) {
    meters.counter("kdr.auth.password.checks", "outcome", outcome).increment();
  }
}
