package dev.kafkadr.controller.auth;

import dev.kafkadr.config.auth.PasswordHash;
import dev.kafkadr.controller.ControllerConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Checks HTTP basic credentials against the users file ({@code kdr.auth.users-file}); the identity
 * carries each role the user holds for some tenant, and its {@link Grants} as the attribute {@link
 * Grants#ATTRIBUTE} for the per-tenant checks.
 */
@ApplicationScoped
public class UsersIdentityProvider
    implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

  private static final Logger LOG = Logger.getLogger(UsersIdentityProvider.class);

  private static final String UNKNOWN_USER = PasswordHash.hash("no such user".toCharArray());

  private final Optional<UsersFile> users;

  UsersIdentityProvider(ControllerConfig config) {
    this.users = config.auth().usersFile().map(UsersFile::new);
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
          // An unknown user costs the same hash as a known one: the answer's timing tells nothing.
          String hash = user.map(UsersFile.User::hash).orElse(UNKNOWN_USER);
          if (!PasswordHash.matches(password, hash) || user.isEmpty()) {
            throw new AuthenticationFailedException("wrong user name or password");
          }
          Grants grants = user.get().grants();
          return QuarkusSecurityIdentity.builder()
              .setPrincipal(new QuarkusPrincipal(name))
              .addRoles(grants.roles())
              .addAttribute(Grants.ATTRIBUTE, grants)
              .build();
        });
  }
}
