package dev.kafkadr.config.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

  @Test
  void aHashMatchesItsPasswordOnlyAndNeverContainsIt() {
    String hash = PasswordHash.hash("correct horse".toCharArray());

    assertThat(hash).startsWith("pbkdf2-sha256:210000:").doesNotContain("correct horse");
    assertThat(PasswordHash.isHash(hash)).isTrue();
    assertThat(PasswordHash.matches("correct horse".toCharArray(), hash)).isTrue();
    assertThat(PasswordHash.matches("correct horsE".toCharArray(), hash)).isFalse();
    assertThat(PasswordHash.hash("correct horse".toCharArray())).isNotEqualTo(hash);
  }

  @Test
  void malformedHashesMatchNothing() {
    for (String bad :
        new String[] {
          "", "plain", "pbkdf2-sha256:x:y:z", "md5:1:AA==:AA==", "pbkdf2-sha256:1:%%:AA=="
        }) {
      assertThat(PasswordHash.matches("x".toCharArray(), bad)).as(bad).isFalse();
    }
  }
}
