package dev.kafkadr.controller.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The user name and password of an HTTP basic {@code Authorization} header (RFC 7617: {@code Basic
 * base64(user:password)}, UTF-8).
 *
 * @param user the user name (may be empty, as Quarkus's basic mechanism accepts it)
 * @param password the password
 */
public record BasicCredentials(String user, char[] password) {

  /**
   * The credentials in {@code authorization}; empty for a missing header, another scheme, bad
   * base64 or no colon.
   */
  public static Optional<BasicCredentials> of(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      // An empty user name is a user name, as Quarkus's basic mechanism reads it.
      if (colon < 0) {
        return Optional.empty();
      }
      return Optional.of(
          new BasicCredentials(
              decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "BasicCredentials[" + user + ", password hidden]";
  }
}
