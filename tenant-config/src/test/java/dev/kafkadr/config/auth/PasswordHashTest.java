package dev.kafkadr.config.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

  @Test
  void aHashMatchesItsPasswordOnlyAndNeverContainsIt() {
    String hash = PasswordHash.hash("correct horse".toCharArray());

    assertThat(hash).startsWith("pbkdf2-sha256:600000:").doesNotContain("correct horse");
    assertThat(PasswordHash.isHash(hash)).isTrue();
    assertThat(PasswordHash.matches("correct horse".toCharArray(), hash)).isTrue();
    assertThat(PasswordHash.matches("correct horsE".toCharArray(), hash)).isFalse();
    assertThat(PasswordHash.hash("correct horse".toCharArray())).isNotEqualTo(hash);
  }

  @Test
  void aHashWrittenWithAnOlderCountKeepsMatching() {
    // Written by the release that hashed with 210,000 iterations; its password is "pw".
    String older =
        "pbkdf2-sha256:210000:c2FsdHNhbHRzYWx0c2FsdA==:"
            + java.util.Base64.getEncoder()
                .encodeToString(derive("pw", "saltsaltsaltsalt", 210_000));

    assertThat(PasswordHash.matches("pw".toCharArray(), older)).isTrue();
    assertThat(PasswordHash.matches("pW".toCharArray(), older)).isFalse();
  }

  @Test
  void aCountOutsideTheBoundsMatchesNothing() {
    assertThat(PasswordHash.matches("pw".toCharArray(), "pbkdf2-sha256:0:AA==:AA==")).isFalse();
    assertThat(PasswordHash.matches("pw".toCharArray(), "pbkdf2-sha256:2000000000:AA==:AA=="))
        .isFalse();
  }

  private static byte[] derive(String password, String salt, int iterations) {
    try {
      return javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(
              new javax.crypto.spec.PBEKeySpec(
                  password.toCharArray(),
                  salt.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  iterations,
                  256))
          .getEncoded();
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
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
