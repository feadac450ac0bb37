package dev.kafkadr.config.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for the controller's users file: PBKDF2 with HMAC-SHA256 from the JDK, written
 * {@code pbkdf2-sha256:<iterations>:<salt, base64>:<hash, base64>}. Only the hash is ever stored;
 * comparison is constant-time.
 *
 * <p>New hashes use {@value #ITERATIONS} iterations, the count OWASP's Password Storage Cheat Sheet
 * gives for PBKDF2-HMAC-SHA256 (about 200 ms of one core here). A hash names its own count, so
 * hashes written with an older, smaller count keep matching; counts outside 1 to {@value
 * #MAX_ITERATIONS} match nothing (a hash claiming billions would stall the thread checking it).
 */
public final class PasswordHash {

  private static final String PREFIX = "pbkdf2-sha256";

  /** Iterations of a new hash. */
  public static final int ITERATIONS = 600_000;

  /** The largest count a stored hash may name. */
  public static final int MAX_ITERATIONS = 10_000_000;

  private static final int BITS = 256;

  private PasswordHash() {}

  /** A new hash of {@code password} with a random salt. */
  public static String hash(char[] password) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    return PREFIX
        + ":"
        + ITERATIONS
        + ":"
        + Base64.getEncoder().encodeToString(salt)
        + ":"
        + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
  }

  /** Whether {@code password} matches {@code stored}; false for a malformed hash. */
  public static boolean matches(char[] password, String stored) {
    String[] parts = stored.trim().split(":");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      if (iterations < 1 || iterations > MAX_ITERATIONS) {
        return false;
      }
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      return MessageDigest.isEqual(expected, derive(password, salt, iterations));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether {@code stored} has the form of a hash this class writes. */
  public static boolean isHash(String stored) {
    return stored.startsWith(PREFIX + ":") && stored.split(":").length == 4;
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(password, salt, iterations, BITS))
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
    }
  }
}
