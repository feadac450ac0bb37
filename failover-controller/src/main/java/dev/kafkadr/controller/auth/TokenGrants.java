package dev.kafkadr.controller.auth;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Gives an identity that came with a bearer token (OpenID Connect, {@code quarkus.oidc.*}) the
 * {@link Grants} its roles name: each role the token's role claim carries ({@code groups} unless
 * {@code quarkus.oidc.roles.role-claim-path} says otherwise) that is a grant ({@code viewer},
 * {@code operator@payments-dev}, ...) counts; any other group (a token usually carries many) is
 * ignored. Users of the users file already carry their grants and are left as they are.
 */
@ApplicationScoped
public class TokenGrants implements SecurityIdentityAugmentor {

  private static final Logger LOG = Logger.getLogger(TokenGrants.class);

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
    return Uni.createFrom()
        .item(
            QuarkusSecurityIdentity.builder(identity)
                .addRoles(parsed.roles())
                .addAttribute(Grants.ATTRIBUTE, parsed)
                .build());
  }
}
