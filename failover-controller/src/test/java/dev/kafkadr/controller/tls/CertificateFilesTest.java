package dev.kafkadr.controller.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkadr.sandbox.tls.TlsAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates read from the stores keytool writes, as PEM and PKCS12. */
class CertificateFilesTest {

  @TempDir Path dir;

  @Test
  void aChainAndAKeyStoreAreReadWithTheirExpiry() throws Exception {
    TlsAuthority ca = TlsAuthority.create(dir);
    TlsAuthority.ServerCertificate server = ca.issue("broker");
    var chain = CertificateFiles.read(server.certificateChain(), Optional.empty(), new char[0]);
    assertThat(chain)
        .extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=broker", "CN=kafka-dr sandbox CA");
    Instant expiry = chain.get(0).getNotAfter().toInstant();
    assertThat(Duration.between(Instant.now(), expiry))
        .isBetween(Duration.ofDays(29), Duration.ofDays(31));
    assertThat(
            CertificateFiles.read(
                server.keyStore(), Optional.of("PKCS12"), ca.keyStorePassword().toCharArray()))
        .extracting(c -> c.getSubjectX500Principal().getName())
        .contains("CN=broker", "CN=kafka-dr sandbox CA");
  }

  @Test
  void aWrongPasswordOrANonCertificateIsAnErrorNamingTheFile() throws Exception {
    TlsAuthority ca = TlsAuthority.create(dir);
    TlsAuthority.ServerCertificate server = ca.issue("broker");
    assertThatThrownBy(
            () -> CertificateFiles.read(server.keyStore(), Optional.empty(), "wrong".toCharArray()))
        .hasMessageContaining(server.keyStore().toString());
    Path text = Files.writeString(dir.resolve("notes.pem"), "hello\n");
    assertThatThrownBy(() -> CertificateFiles.read(text, Optional.empty(), new char[0]))
        .hasMessageContaining("notes.pem");
  }

  @Test
  void aPasswordReferenceIsResolvedAsTheKafkaClientsResolveIt() throws Exception {
    Path secrets = Files.writeString(dir.resolve("secrets.properties"), "truststore=s3cret\n");
    assertThat(CertificateExpiry.resolve("${file:" + secrets + ":truststore}")).isEqualTo("s3cret");
    assertThat(CertificateExpiry.resolve("plain")).isEqualTo("plain");
  }
}
