package dev.kafkadr.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerTlsTest {

  @TempDir Path dir;

  @Test
  void plainHttpIsRefusedUnlessAllowedAndSaysWhatToDo() {
    URI http = URI.create("http://controller:8080");
    assertThatThrownBy(() -> ControllerTls.verified().check(http))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refusing plain HTTP to http://controller:8080")
        .hasMessageContaining("--insecure");
    assertThat(ControllerTls.plainHttpAllowed().check(http)).isEqualTo(http);
    URI https = URI.create("https://controller:8443");
    assertThat(ControllerTls.verified().check(https)).isEqualTo(https);
    assertThatThrownBy(() -> ControllerTls.plainHttpAllowed().check(URI.create("ftp://x")))
        .hasMessageContaining("not an https:// URL");
  }

  @Test
  void aRedirectNeverLeavesHttpsForPlainHttpEvenWhereHttpIsAllowed() {
    URI from = URI.create("https://follower:8443/api/x");
    assertThatThrownBy(
            () ->
                ControllerTls.plainHttpAllowed()
                    .checkRedirect(from, URI.create("http://leader:8080/api/x")))
        .hasMessageContaining("refusing the redirect from https://follower:8443/api/x");
    URI leader = URI.create("https://leader:8443/api/x");
    assertThat(ControllerTls.verified().checkRedirect(from, leader)).isEqualTo(leader);
  }

  @Test
  void aRegistryWillNotAskOverPlainHttpByDefault() {
    assertThatThrownBy(
            () ->
                new Registry(
                    List.of(URI.create("http://127.0.0.1:1")),
                    dir,
                    Duration.ofSeconds(1),
                    "u",
                    "p"))
        .hasMessageContaining("refusing plain HTTP");
  }

  @Test
  void aTrustFileWithoutCertificatesIsNamed() throws Exception {
    Path empty = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    assertThatThrownBy(() -> ControllerTls.trusting(empty).httpClient())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(empty.toString());
    assertThatThrownBy(() -> ControllerTls.trusting(dir.resolve("missing.pem")).httpClient())
        .hasMessageContaining("missing.pem cannot be read");
  }
}
