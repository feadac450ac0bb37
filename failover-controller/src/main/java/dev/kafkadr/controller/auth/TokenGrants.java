package dev.kafkadr.controller.auth;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Gives an identity that came with a bearer token (OpenID Connect, {@code quarkus.oidc.*}) the
 * {@link Grants} its roles name: each role the token's role claim carries ({@code groups} unless
 * {@code quarkus.oidc.roles.role-claim-path} says otherwise) that is a grant ({@code viewer},
 * {@code operator@payments-dev}, ...) counts; any other group (a token usually carries many) is
 * dropped, roles included, so that a group's name can never pass for a role the controller checks.
 * Users of the users file already carry their grants and are left as they are. With bearer tokens
 * enabled, the controller refuses to start without {@code quarkus.oidc.token.audience}: a token an
 * issuer minted for another service must not be taken.
 */
@ApplicationScoped
public class TokenGrants implements SecurityIdentityAugmentor {

  private static final Logger LOG = Logger.getLogger(TokenGrants.class);

  void check(@Observes StartupEvent event) {
    var config = ConfigProvider.getConfig();
    audienceProblem(
            config.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class).orElse(true),
            config.getOptionalValue("quarkus.oidc.token.audience", String.class))
        .ifPresent(
            problem -> {
              throw new IllegalStateException(problem);
            });
  }

  /**
   * Why bearer tokens cannot be accepted as configured: enabled without an audience to require.
   *
   * @param enabled {@code quarkus.oidc.tenant-enabled}
   * @param audience {@code quarkus.oidc.token.audience}
   * @return the problem, naming the key, or empty
   */
  static Optional<String> audienceProblem(boolean enabled, Optional<String> audience) {
    if (enabled && audience.filter(a -> !a.isBlank()).isEmpty()) {
      return Optional.of(
          "quarkus.oidc.token.audience: must be set when bearer tokens are enabled"
              + " (quarkus.oidc.tenant-enabled=true): the audience your issuer puts in tokens"
              + " meant for kafka-dr, so that a token minted for another service is refused");
    }
    return Optional.empty();
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous() || identity.getAttribute(Grants.ATTRIBUTE) != null) {
      return Uni.createFrom().item(identity);
    }
    List<String> grants = new ArrayList<>();
    for (String role : identity.getRoles()) {
      try {
        Grants.parse(List.of(role));
        grants.add(role);
      } catch (IllegalArgumentException e) {
        LOG.debugf("token of %s: role %s is no kafka-dr grant", identity.getPrincipal(), role);
      }
    }
    Grants parsed = grants.isEmpty() ? Grants.none() : Grants.parse(grants);
    QuarkusSecurityIdentity.Builder rebuilt =
        QuarkusSecurityIdentity.builder()
            .setPrincipal(identity.getPrincipal())
            .addCredentials(identity.getCredentials())
            .addAttributes(identity.getAttributes())
            .addRoles(parsed.roles())
            .addAttribute(Grants.ATTRIBUTE, parsed);
    return Uni.createFrom().item(rebuilt.build());
  }
}
