package dev.kafkadr.controller.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BIND key files read, and broken ones refused without showing a secret. */
class TsigKeyTest {

  @TempDir Path dir;

  @Test
  void readsTheFormatTsigKeygenWrites() throws Exception {
    Path file = dir.resolve("k.key");
    Files.writeString(
        file,
        "key \"kdr-update\" {\n\talgorithm hmac-sha256;\n\tsecret \"c2VjcmV0LXNlY3JldA==\";\n};\n");

    TsigKey key = TsigKey.fromBindKeyFile(file);

    assertThat(key.name()).isEqualTo("kdr-update");
    assertThat(key.algorithm()).isEqualTo("hmac-sha256");
    assertThat(key.secret()).isEqualTo("c2VjcmV0LXNlY3JldA==");
    assertThat(key.toString()).doesNotContain("c2VjcmV0");
  }

  @Test
  void brokenFilesAreRefusedWithWhatIsMissing() throws Exception {
    Path noSecret = dir.resolve("a.key");
    Files.writeString(noSecret, "key \"a\" { algorithm hmac-sha256; };\n");
    Path notBase64 = dir.resolve("b.key");
    Files.writeString(notBase64, "key \"b\" { algorithm hmac-sha256; secret \"not*base64!\"; };\n");

    assertThatThrownBy(() -> TsigKey.fromBindKeyFile(noSecret))
        .hasMessageContaining(
            "TSIG key \"a\" in " + noSecret + " lacks its algorithm or its secret");
    assertThatThrownBy(() -> TsigKey.fromBindKeyFile(notBase64))
        .hasMessageContaining("the secret is not base64")
        .message()
        .doesNotContain("not*base64!");
    assertThatThrownBy(() -> TsigKey.fromBindKeyFile(dir.resolve("missing.key")))
        .hasMessageContaining("cannot be read");
  }
}
