package dev.kafkadr.config.connect;

import java.util.Map;
import java.util.Optional;

/**
 * How kafka-dr reaches the Connect clusters that run each target's flows: the REST URL by target
 * alias ({@code kdr.connect.<alias>}) and the credentials every Connect REST API is called with, if
 * they are locked.
 *
 * @param urlsByTarget REST URL by target cluster alias, e.g. {@code secondary ->
 *     http://connect:8083}
 * @param credentials HTTP basic credentials for every Connect REST API; empty for open ones
 * @param trustedCertificates the CA certificates (PEM) an {@code https://} worker's certificate is
 *     checked against; empty for the JVM's trust store
 */
public record ConnectEndpoints(
    Map<String, String> urlsByTarget,
    Optional<ConnectRestCredentials> credentials,
    Optional<java.nio.file.Path> trustedCertificates) {

  /** Endpoints whose HTTPS certificates the JVM's trust store checks. */
  public ConnectEndpoints(
      Map<String, String> urlsByTarget, Optional<ConnectRestCredentials> credentials) {
    this(urlsByTarget, credentials, Optional.empty());
  }

  /** Open Connect REST APIs at {@code urlsByTarget}. */
  public static ConnectEndpoints open(Map<String, String> urlsByTarget) {
    return new ConnectEndpoints(urlsByTarget, Optional.empty());
  }

  /** The REST URL of the Connect cluster of flows into {@code targetAlias}, if one is set. */
  public Optional<String> url(String targetAlias) {
    return Optional.ofNullable(urlsByTarget.get(targetAlias));
  }

  /**
   * A warning to give when credentials would be sent to {@code url} over plain HTTP (readable by
   * anyone on the path); empty when there are none or the URL is HTTPS.
   */
  public Optional<String> plainHttpWarning(String url) {
    if (credentials.isEmpty() || !url.regionMatches(true, 0, "http://", 0, 7)) {
      return Optional.empty();
    }
    return Optional.of(
        "the Connect REST password of "
            + credentials.get().user()
            + " goes to "
            + url
            + " over plain HTTP, readable on the network: serve Connect's REST API over HTTPS"
            + " (listeners=https://...)");
  }

  /** A client of the worker at {@code url}, with these credentials. */
  public ConnectRestClient client(String url) {
    return new ConnectRestClient(url, credentials, trustedCertificates, () -> {});
  }

  /** A client of the worker at {@code url} that runs {@code beforeWrite} before each change. */
  public ConnectRestClient client(String url, Runnable beforeWrite) {
    return new ConnectRestClient(url, credentials, trustedCertificates, beforeWrite);
  }
}
