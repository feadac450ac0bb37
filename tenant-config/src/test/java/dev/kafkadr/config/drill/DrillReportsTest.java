package dev.kafkadr.config.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillReportsTest {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @TempDir Path dir;

  @Test
  void aChainOfSignedReportsHolds() {
    DrillReports reports = new DrillReports(dir);
    Set<String> heads = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      heads.add(reports.append("acme", "d" + i, Map.of("passed", true, "n", i)).sha256());
    }
    var key = DrillReports.publicKey(reports.publicKeyPem());
    assertThat(DrillReports.verify(dir.resolve("acme"), key, Optional.of(heads))).isEmpty();
    assertThat(DrillReports.reports(dir.resolve("acme"))).hasSize(4);
    assertThat(reports.latest("acme").orElseThrow().path("sequence").asLong()).isEqualTo(4);
    // the same key is used again by a controller restarted on the same directory
    assertThat(new DrillReports(dir).publicKeyPem()).isEqualTo(reports.publicKeyPem());
  }

  @Test
  void anEditedReportIsFoundAtThatReport() throws Exception {
    DrillReports reports = new DrillReports(dir);
    for (int i = 0; i < 4; i++) {
      reports.append("acme", "d" + i, Map.of("passed", i != 1, "n", i));
    }
    List<Path> chain = DrillReports.reports(dir.resolve("acme"));
    ObjectNode second = (ObjectNode) JSON.readTree(chain.get(1).toFile());
    second.put("passed", true);
    Files.write(chain.get(1), JSON.writeValueAsBytes(second));

    var broken =
        DrillReports.verify(
            dir.resolve("acme"), DrillReports.publicKey(reports.publicKeyPem()), Optional.empty());
    assertThat(broken).isPresent();
    assertThat(broken.get().report()).isEqualTo(chain.get(1).getFileName().toString());
    assertThat(broken.get().why()).contains("signature does not match");
  }

  @Test
  void anEditedReportWithEveryLaterHashRecomputedIsFoundAtThatReport() throws Exception {
    DrillReports reports = new DrillReports(dir);
    Set<String> heads = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      heads.add(reports.append("acme", "d" + i, Map.of("passed", i != 1, "n", i)).sha256());
    }
    List<Path> chain = DrillReports.reports(dir.resolve("acme"));
    // The forger edits report 2, recomputes every later previousSha256 and signs each of them with
    // a key of their own (they do not hold the controller's).
    var forger = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String previous = DrillReports.sha256(Files.readAllBytes(chain.get(0)));
    for (int i = 1; i < chain.size(); i++) {
      ObjectNode r = (ObjectNode) JSON.readTree(chain.get(i).toFile());
      if (i == 1) {
        r.put("passed", true);
      }
      r.put("previousSha256", previous);
      byte[] bytes = JSON.writeValueAsBytes(r);
      Files.write(chain.get(i), bytes);
      sign(forger.getPrivate(), chain.get(i));
      previous = DrillReports.sha256(bytes);
    }
    var broken =
        DrillReports.verify(
            dir.resolve("acme"),
            DrillReports.publicKey(reports.publicKeyPem()),
            Optional.of(heads));
    assertThat(broken).isPresent();
    assertThat(broken.get().report()).isEqualTo(chain.get(1).getFileName().toString());
    assertThat(broken.get().why()).contains("signature does not match");
    sign(forger.getPrivate(), chain.get(0));

    // One holding the signing key (checked here with the forger's, under which every signature
    // holds) is caught at the edited report by the hashes published when each report was made.
    var withKey = DrillReports.verify(dir.resolve("acme"), forger.getPublic(), Optional.of(heads));
    assertThat(withKey).isPresent();
    assertThat(withKey.get().report()).isEqualTo(chain.get(1).getFileName().toString());
    assertThat(withKey.get().why()).contains("was never published");
  }

  private static void sign(java.security.PrivateKey key, Path report) throws Exception {
    var signer = java.security.Signature.getInstance("Ed25519");
    signer.initSign(key);
    signer.update(Files.readAllBytes(report));
    Files.writeString(
        DrillReports.signatureOf(report),
        java.util.Base64.getEncoder().encodeToString(signer.sign()));
  }

  @Test
  void aDeletedReportBreaksTheChainAtTheNextOne() throws Exception {
    DrillReports reports = new DrillReports(dir);
    for (int i = 0; i < 3; i++) {
      reports.append("acme", "d" + i, Map.of("n", i));
    }
    List<Path> chain = DrillReports.reports(dir.resolve("acme"));
    Files.delete(chain.get(1));
    var broken =
        DrillReports.verify(
            dir.resolve("acme"), DrillReports.publicKey(reports.publicKeyPem()), Optional.empty());
    assertThat(broken).isPresent();
    assertThat(broken.get().report()).isEqualTo(chain.get(2).getFileName().toString());
    assertThat(broken.get().why()).contains("sequence 3, expected 2");
  }
}
