package dev.kafkadr.controller.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The X.509 certificates in a key store or trust store file, as Kafka clients and Quarkus name
 * them: PEM (one or more {@code BEGIN CERTIFICATE} blocks; a private key beside them is skipped),
 * or a PKCS12 or JKS store opened with its password (every key entry's chain and every trusted
 * certificate).
 */
public final class CertificateFiles {

  private CertificateFiles() {}

  /**
   * The certificates of {@code file}.
   *
   * @param type {@code PEM}, {@code PKCS12} or {@code JKS}; empty to go by the file name ({@code
   *     .pem}, {@code .crt} are PEM; anything else PKCS12, Java's default store type)
   * @param password the store's password (not needed for PEM)
   * @throws IOException when the file cannot be read or parsed, naming it
   */
  public static List<X509Certificate> read(Path file, Optional<String> type, char[] password)
      throws IOException {
    String kind = type.map(t -> t.toUpperCase(Locale.ROOT)).orElseGet(() -> byName(file));
    try (InputStream in = Files.newInputStream(file)) {
      if ("PEM".equals(kind)) {
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
          throw new IOException(file + " holds no PEM certificate");
        }
        return out;
      }
      KeyStore store = KeyStore.getInstance(kind);
      store.load(in, password);
      List<X509Certificate> out = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        Certificate[] chain = store.getCertificateChain(alias);
        if (chain != null) {
          for (Certificate c : chain) {
            out.add((X509Certificate) c);
          }
        } else if (store.getCertificate(alias) instanceof X509Certificate c) {
          out.add(c);
        }
      }
      return out;
    } catch (GeneralSecurityException | IOException e) {
      // A wrong password surfaces as an IOException that does not name the file.
      throw new IOException(file + " cannot be read as " + kind + ": " + e.getMessage(), e);
    }
  }

  private static String byName(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".pem") || name.endsWith(".crt") ? "PEM" : "PKCS12";
  }
}
