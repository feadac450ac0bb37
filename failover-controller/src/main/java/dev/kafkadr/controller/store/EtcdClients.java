package dev.kafkadr.controller.store;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * jetcd clients as kafka-dr configures them: the members' endpoints and, for {@code https://} ones,
 * the CA to check them with and a client certificate for members that require one (etcd's {@code
 * --client-cert-auth}), from PEM files named as etcd names them.
 */
public final class EtcdClients {

  private EtcdClients() {}

  /**
   * A client of {@code endpoints}.
   *
   * @param endpoints member URLs, all {@code https://} (TLS, always: jetcd would otherwise talk
   *     plain text to them) or all {@code http://}
   * @param trustedCa CA certificates (PEM); empty for the JVM's trust store
   * @param cert this client's certificate chain (PEM), with {@code key}; both or neither
   * @param key its private key (PEM, PKCS#8)
   * @throws IllegalArgumentException when only one of the certificate and the key is given, the
   *     endpoints mix schemes, certificates are given for {@code http://} endpoints, or the files
   *     cannot be read, naming them
   */
  public static Client create(
      List<String> endpoints, Optional<Path> trustedCa, Optional<Path> cert, Optional<Path> key) {
    if (cert.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException(
          "kdr.store.etcd.cert-file and kdr.store.etcd.key-file: give both or neither");
    }
    boolean https = endpoints.stream().anyMatch(e -> e.startsWith("https://"));
    boolean plain = endpoints.stream().anyMatch(e -> !e.startsWith("https://"));
    if (https && plain) {
      throw new IllegalArgumentException(
          "kdr.store.etcd.endpoints mixes https:// and other endpoints: " + endpoints);
    }
    if (plain && (trustedCa.isPresent() || cert.isPresent())) {
      throw new IllegalArgumentException(
          "kdr.store.etcd.trusted-ca-file, cert-file and key-file are for https:// endpoints; "
              + endpoints
              + " are not");
    }
    ClientBuilder builder = Client.builder().endpoints(endpoints.toArray(String[]::new));
    // jetcd speaks plain text to an https:// endpoint unless given an SSL context: always give one
    // (the JVM's trust store when no CA file is named).
    if (https) {
      try {
        builder.sslContext(
            ssl -> {
              trustedCa.ifPresent(ca -> ssl.trustManager(ca.toFile()));
              cert.ifPresent(c -> ssl.keyManager(c.toFile(), key.orElseThrow().toFile()));
            });
      } catch (SSLException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "etcd TLS: cannot read "
                + trustedCa.map(Path::toString).orElse("")
                + " "
                + cert.map(Path::toString).orElse("")
                + ": "
                + e.getMessage(),
            e);
      }
    }
    return builder.build();
  }

  /** A client as {@code config} says. */
  static Client create(List<String> endpoints, StoreConfig.Etcd config) {
    return create(endpoints, config.trustedCaFile(), config.certFile(), config.keyFile());
  }
}
