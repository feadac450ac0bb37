package dev.kafkadr.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenGrantsTest {

  @Test
  void aTokensGroupsThatAreNoGrantsAreDroppedEvenWhenTheyLookLikeTheControllersRoles() {
    var token =
        QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal("team-member"))
            .addRoles(
                java.util.Set.of("viewer@acme", Grants.READS_EVERYTHING, "engineering", "admin"))
            .build();

    var augmented = new TokenGrants().augment(token, null).await().indefinitely();

    assertThat(augmented.getRoles()).containsExactly("viewer");
    Grants grants = augmented.getAttribute(Grants.ATTRIBUTE);
    assertThat(grants.reads("acme")).isTrue();
    assertThat(grants.readsEverything()).isFalse();
    assertThat(augmented.getPrincipal().getName()).isEqualTo("team-member");
  }

  @Test
  void bearerTokensWithoutAnAudienceToRequireAreRefusedAtStart() {
    assertThat(TokenGrants.audienceProblem(true, Optional.empty()))
        .get()
        .asString()
        .startsWith("quarkus.oidc.token.audience: must be set when bearer tokens are enabled");
    assertThat(TokenGrants.audienceProblem(true, Optional.of("kafka-dr"))).isEmpty();
    assertThat(TokenGrants.audienceProblem(false, Optional.empty())).isEmpty();
  }
}
