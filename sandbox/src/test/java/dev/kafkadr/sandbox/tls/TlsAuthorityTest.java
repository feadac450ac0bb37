package dev.kafkadr.sandbox.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kafkadr.client.ControllerTls;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server with a certificate of the sandbox's CA is trusted by exactly the CA's clients. */
class TlsAuthorityTest {

  @TempDir Path dir;

  @Test
  void aServerItSignsIsTrustedThroughTheCaAndOnlyThrough() throws Exception {
    TlsAuthority ca = TlsAuthority.create(dir);
    TlsAuthority.ServerCertificate server = ca.issue("controller");
    assertThat(ca.issue("controller")).as("issued again under its name").isEqualTo(server);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.privateKey())))
        .isEqualTo("rw-------");
    assertThat(Files.readString(server.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(server.certificateChain()))
        .containsPattern("(?s)BEGIN CERTIFICATE.*BEGIN CERTIFICATE");

    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(serverContext(server, ca)));
    https.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, 2);
          exchange.getResponseBody().write("ok".getBytes());
          exchange.close();
        });
    https.start();
    try {
      URI uri = URI.create("https://127.0.0.1:" + https.getAddress().getPort() + "/");
      HttpResponse<String> answer =
          ControllerTls.trusting(ca.caCertificate())
              .httpClient()
              .build()
              .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.body()).isEqualTo("ok");
      assertThatThrownBy(
              () ->
                  ControllerTls.verified()
                      .httpClient()
                      .build()
                      .send(
                          HttpRequest.newBuilder(uri).build(),
                          HttpResponse.BodyHandlers.ofString()))
          .as("the JVM's trust store does not know the sandbox's CA")
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    } finally {
      https.stop(0);
    }
  }

  @Test
  void aCertificateNamesItsPrincipalAndHostsAndServesBothEndsForThirtyDays() throws Exception {
    TlsAuthority ca = TlsAuthority.create(dir);
    TlsAuthority.ServerCertificate issued = ca.issue("mm2-replication");
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(issued.keyStore())) {
      store.load(in, ca.keyStorePassword().toCharArray());
    }
    X509Certificate leaf = (X509Certificate) store.getCertificate("mm2-replication");
    X509Certificate root = (X509Certificate) store.getCertificate("ca");
    assertThat(store.isCertificateEntry("ca")).as("the CA, trusted").isTrue();
    assertThat(store.getCertificateChain("mm2-replication")).hasSize(2);
    leaf.verify(root.getPublicKey());
    root.verify(root.getPublicKey());
    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=mm2-replication");
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
    assertThat(leaf.getSubjectAlternativeNames())
        .extracting(n -> (Object) n.get(1))
        .containsExactlyInAnyOrder("127.0.0.1", "localhost");
    assertThat(leaf.getExtendedKeyUsage())
        .as("server and client authentication")
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(leaf.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(root.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
    assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
    Duration valid =
        Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
    assertThat(valid).isEqualTo(Duration.ofDays(30).plusHours(1));
    assertThat(leaf.getNotBefore().toInstant()).isBefore(Instant.now());
    try (InputStream pem = Files.newInputStream(ca.caCertificate())) {
      assertThat(CertificateFactory.getInstance("X.509").generateCertificate(pem))
          .as("ca.pem is the CA in the stores")
          .isEqualTo(root);
    }
  }

  private static SSLContext serverContext(TlsAuthority.ServerCertificate server, TlsAuthority ca)
      throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(server.keyStore())) {
      store.load(in, ca.keyStorePassword().toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, ca.keyStorePassword().toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }
}
