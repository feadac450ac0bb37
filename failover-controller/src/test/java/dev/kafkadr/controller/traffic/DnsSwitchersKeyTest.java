package dev.kafkadr.controller.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkadr.config.Traffic;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TSIG key the controller signs with: read behind the tenants file's references at each use.
 */
class DnsSwitchersKeyTest {

  private static Traffic.DnsProvider provider(String name, String secret) {
    return new Traffic.DnsProvider(
        "corp-dns",
        Traffic.DnsType.RFC2136,
        "127.0.0.1:53",
        "kdr.test.",
        name,
        "hmac-sha256",
        secret,
        null,
        null,
        null);
  }

  @Test
  void aLiteralNameIsKeptAndTheSecretIsReadNow(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tsig.properties");
    Files.writeString(file, "secret=c2VjcmV0LW9uZQ==\n");
    var provider = provider("kafka-dr.", "${file:" + file + ":secret}");
    assertThat(DnsSwitchers.key(provider))
        .isEqualTo(new TsigKey("kafka-dr.", "hmac-sha256", "c2VjcmV0LW9uZQ=="));
    Files.writeString(file, "secret=c2VjcmV0LXR3bw==\n");
    assertThat(DnsSwitchers.key(provider).secret()).isEqualTo("c2VjcmV0LXR3bw==");
  }

  @Test
  void aNameGivenByReferenceIsReadWithTheSecret(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tsig.properties");
    Files.writeString(file, "name=kafka-dr-2.\nsecret=c2VjcmV0LXR3bw==\n");
    var key =
        DnsSwitchers.key(provider("${file:" + file + ":name}", "${file:" + file + ":secret}"));
    assertThat(key).isEqualTo(new TsigKey("kafka-dr-2.", "hmac-sha256", "c2VjcmV0LXR3bw=="));
  }

  @Test
  void aReferenceThatResolvesToNothingIsNamedWithoutAnySecret(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tsig.properties");
    Files.writeString(file, "secret=c2VjcmV0LW9uZQ==\n");
    String nameReference = "${file:" + file + ":name}";
    assertThatThrownBy(
            () -> DnsSwitchers.key(provider(nameReference, "${file:" + file + ":secret}")))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("traffic.dns.corp-dns.tsig.name: " + nameReference)
        .hasMessageContaining("resolves to nothing")
        .hasMessageNotContaining("c2VjcmV0LW9uZQ==");
  }

  @Test
  void aFileThatCannotBeReadIsNamedNotThrownAsIs(@TempDir Path dir) {
    String reference = "${file:" + dir.resolve("missing.properties") + ":secret}";
    assertThatThrownBy(() -> DnsSwitchers.key(provider("kafka-dr.", reference)))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("traffic.dns.corp-dns.tsig.secret: " + reference)
        .hasMessageContaining("resolves to nothing");
  }
}
