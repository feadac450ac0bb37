package dev.kafkadr.controller.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * User names and passwords that verified lately, so that a repeated request (the status page's
 * refresh every 2 s, {@code kdr --follow}) does not pay the password hash again. Each is kept as an
 * HMAC-SHA256, under a key drawn at start and never written anywhere, of the user name, the
 * password and the stored hash it verified against: the password is not kept, and a user whose hash
 * changes in the users file misses at once. At most 10,000 entries, each for {@code verifiedFor}
 * after it verified.
 */
final class VerifiedLogins {

  private final SecretKeySpec key;
  private final Cache<String, Boolean> verified;
  private final boolean enabled;

  /** Remembers each verified login for {@code verifiedFor}; zero remembers nothing. */
  VerifiedLogins(Duration verifiedFor) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.enabled = !verifiedFor.isZero() && !verifiedFor.isNegative();
    this.verified =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(enabled ? verifiedFor : Duration.ofNanos(1))
            .build();
  }

  /** Whether {@code user} with {@code password} verified against {@code storedHash} lately. */
  boolean contains(String user, char[] password, String storedHash) {
    return enabled && verified.getIfPresent(mac(user, password, storedHash)) != null;
  }

  /** Remembers that {@code user} with {@code password} verified against {@code storedHash}. */
  void add(String user, char[] password, String storedHash) {
    if (enabled) {
      verified.put(mac(user, password, storedHash), Boolean.TRUE);
    }
  }

  private String mac(String user, char[] password, String storedHash) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(user.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      ByteBuffer pw = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
      mac.update(pw);
      mac.update((byte) 0);
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(storedHash.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }
}
