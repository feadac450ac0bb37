package dev.kafkadr.config.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectRestCredentialsTest {

  @Test
  void bothOrNeitherAndTheMissingOneIsNamed() {
    assertThat(ConnectRestCredentials.of(Optional.empty(), Optional.empty(), "u", "p")).isEmpty();
    assertThatThrownBy(
            () -> ConnectRestCredentials.of(Optional.of("kdr"), Optional.empty(), "--user", "--pw"))
        .hasMessage("--user is set but --pw is not");
    assertThatThrownBy(
            () ->
                ConnectRestCredentials.of(
                    Optional.empty(), Optional.of("s3cret"), "--user", "--pw"))
        .hasMessage("--pw is set but --user is not")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void theHeaderCarriesThemAndNothingPrintsThePassword() {
    ConnectRestCredentials c = new ConnectRestCredentials("kdr", "s3cret");
    assertThat(c.authorization())
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("kdr:s3cret".getBytes(StandardCharsets.UTF_8)));
    assertThat(c.toString()).contains("kdr").doesNotContain("s3cret");
  }

  @Test
  void sendingThemOverPlainHttpIsWarnedOfWithoutThePassword() {
    ConnectEndpoints locked =
        new ConnectEndpoints(Map.of(), Optional.of(new ConnectRestCredentials("kdr", "s3cret")));
    assertThat(locked.plainHttpWarning("http://connect:8083"))
        .hasValueSatisfying(
            w -> assertThat(w).contains("http://connect:8083", "kdr").doesNotContain("s3cret"));
    assertThat(locked.plainHttpWarning("https://connect:8443")).isEmpty();
    assertThat(ConnectEndpoints.open(Map.of()).plainHttpWarning("http://connect:8083")).isEmpty();
  }
}
