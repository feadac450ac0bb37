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

/** Checks HTTP basic credentials against the users file ({@code kdr.auth.users-file}). */
@ApplicationScoped
public class UsersIdentityProvider
    implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

  private static final Logger LOG = Logger.getLogger(UsersIdentityProvider.class);

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
          if (user.isEmpty() || !PasswordHash.matches(password, user.get().hash())) {
            throw new AuthenticationFailedException("wrong user name or password");
          }
          return QuarkusSecurityIdentity.builder()
              .setPrincipal(new QuarkusPrincipal(name))
              .addRole(user.get().role())
              .build();
        });
  }
}
