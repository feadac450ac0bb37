package dev.kafkadr.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a client of the failover controller checks whom it talks to: the certificates it trusts (a
 * PEM bundle of CA certificates, or the JVM's own trust store) and whether a plain {@code http://}
 * URL is accepted at all. It is not by default: over plain HTTP the user's password and the
 * registry's answers (where a tenant's clients connect) cross the network readable and can be
 * changed on the way, so plain HTTP is for a sandbox on one machine, asked for explicitly.
 * Hostnames are verified against the certificate's subject alternative names (Java's HTTP client).
 *
 * @param trustedCertificates a PEM file of the certificates to trust; empty for the JVM's
 * @param allowPlainHttp whether {@code http://} URLs are accepted
 */
public record ControllerTls(Optional<Path> trustedCertificates, boolean allowPlainHttp) {

  /** A controller URL these settings do not accept. */
  public static final class RefusedUrl extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    RefusedUrl(String message) {
      super(message);
    }
  }

  /** HTTPS only, verified against the JVM's trust store. */
  public static ControllerTls verified() {
    return new ControllerTls(Optional.empty(), false);
  }

  /** HTTPS only, verified against the certificates in the PEM file {@code pem}. */
  public static ControllerTls trusting(Path pem) {
    return new ControllerTls(Optional.of(pem), false);
  }

  /** Plain HTTP accepted (a sandbox); HTTPS still verified against the JVM's trust store. */
  public static ControllerTls plainHttpAllowed() {
    return new ControllerTls(Optional.empty(), true);
  }

  /**
   * {@code uri} if these settings accept it.
   *
   * @throws RefusedUrl for a scheme other than https, or http unless allowed, naming the URL and
   *     what to do
   */
  public URI check(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if ("https".equals(scheme) || ("http".equals(scheme) && allowPlainHttp)) {
      return uri;
    }
    if ("http".equals(scheme)) {
      throw new RefusedUrl(
          "refusing plain HTTP to "
              + uri
              + ": the password and the answers would cross the network readable; use the"
              + " controller's https:// URL, or allow plain HTTP for a sandbox (kdr --insecure,"
              + " the ConfigProvider's insecure=true, ControllerTls.plainHttpAllowed())");
    }
    throw new RefusedUrl(uri + " is not an https:// URL");
  }

  /**
   * {@code to}, where a controller at {@code from} redirected a request (a follower to its leader),
   * if these settings accept it: as {@link #check}, and never from HTTPS to plain HTTP, allowed or
   * not, since the password would follow the redirect.
   *
   * @throws RefusedUrl naming both URLs
   */
  public URI checkRedirect(URI from, URI to) {
    if ("https".equals(from.getScheme()) && !"https".equals(to.getScheme())) {
      throw new RefusedUrl("refusing the redirect from " + from + " to plain HTTP (" + to + ")");
    }
    return check(to);
  }

  /**
   * An HTTP client builder whose TLS trusts these certificates.
   *
   * @throws IllegalArgumentException when the PEM file cannot be read or holds no certificate
   */
  public HttpClient.Builder httpClient() {
    HttpClient.Builder builder = HttpClient.newBuilder();
    trustedCertificates.ifPresent(pem -> builder.sslContext(sslContext(pem)));
    return builder;
  }

  /**
   * A TLS context that trusts exactly the certificates in {@code pem} (one or more {@code BEGIN
   * CERTIFICATE} blocks).
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no certificate
   */
  public static SSLContext sslContext(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(pem + " holds no PEM certificate");
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        trust.setCertificateEntry("trusted-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the trusted certificates " + pem + " cannot be read: " + e.getMessage(), e);
    }
  }
}
