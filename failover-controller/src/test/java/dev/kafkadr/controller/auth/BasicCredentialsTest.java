package dev.kafkadr.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicCredentialsTest {

  private static String basic(String userAndPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theUserIsBeforeTheFirstColonAndThePasswordMayHoldMore() {
    BasicCredentials c = BasicCredentials.of(basic("ann:pa:ss wörd")).orElseThrow();
    assertThat(c.user()).isEqualTo("ann");
    assertThat(new String(c.password())).isEqualTo("pa:ss wörd");
    assertThat(c.toString()).doesNotContain("pa:ss");
  }

  @Test
  void otherSchemesAndMalformedHeadersHoldNone() {
    assertThat(BasicCredentials.of(null)).isEmpty();
    assertThat(BasicCredentials.of("Bearer abc")).isEmpty();
    assertThat(BasicCredentials.of("Basic %%%")).isEmpty();
    assertThat(BasicCredentials.of(basic("no-colon"))).isEmpty();
    // Quarkus's basic mechanism takes an empty user name, so the gate counts it too.
    assertThat(BasicCredentials.of(basic(":password-without-user")))
        .hasValueSatisfying(c -> assertThat(c.user()).isEmpty());
    assertThat(BasicCredentials.of("basic " + basic("x:y").substring(6))).isPresent();
  }
}
