package dev.kafkadr.config.connect;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The user name and password kafka-dr gives a Kafka Connect REST API locked with Connect's {@code
 * BasicAuthSecurityRestExtension}, sent as HTTP basic credentials (RFC 7617). The password is never
 * printed: {@link #toString()} hides it.
 *
 * @param user the REST user name
 * @param password its password
 */
public record ConnectRestCredentials(String user, String password) {

  /** Credentials; both parts must be non-blank. */
  public ConnectRestCredentials {
    if (user == null || user.isBlank() || password == null || password.isEmpty()) {
      throw new IllegalArgumentException("a Connect REST user needs a name and a password");
    }
  }

  /**
   * Credentials from a user name and a password either of which may be missing: none when both are,
   * else both.
   *
   * @param userKey what the user name is set with, named when the password is set without it
   * @param passwordKey what the password is set with, named when the user name is set without it
   * @throws IllegalArgumentException when one is set without the other
   */
  public static Optional<ConnectRestCredentials> of(
      Optional<String> user, Optional<String> password, String userKey, String passwordKey) {
    boolean hasUser = user.filter(u -> !u.isBlank()).isPresent();
    boolean hasPassword = password.filter(p -> !p.isEmpty()).isPresent();
    if (hasUser != hasPassword) {
      throw new IllegalArgumentException(
          hasUser
              ? userKey + " is set but " + passwordKey + " is not"
              : passwordKey + " is set but " + userKey + " is not");
    }
    return hasUser
        ? Optional.of(new ConnectRestCredentials(user.get(), password.get()))
        : Optional.empty();
  }

  /** The value of an {@code Authorization} header carrying these credentials. */
  public String authorization() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "ConnectRestCredentials[" + user + ", password hidden]";
  }
}
