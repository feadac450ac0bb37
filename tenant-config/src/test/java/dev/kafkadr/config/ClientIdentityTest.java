package dev.kafkadr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientIdentityTest {

  @TempDir Path dir;

  private final ClusterSpec cluster =
      new ClusterSpec(
          "eu-west-1",
          "b1:9093",
          Map.of(
              "protocol", "SSL",
              "truststore.location", "/etc/kafka-dr/truststore.p12",
              "keystore.location", "/etc/kafka-dr/replication.p12",
              "keystore.password", "${file:/etc/kafka-dr/secrets.properties:replication}"));

  @AfterEach
  void clear() {
    System.clearProperty(ClientIdentity.property("eu-west-1"));
  }

  @Test
  void namesTheSettingsFileByPropertyOrEnvironmentVariable() {
    assertThat(ClientIdentity.property("eu-west-1")).isEqualTo("kdr.client-config.eu-west-1");
    assertThat(ClientIdentity.environmentVariable("eu-west-1"))
        .isEqualTo("KDR_CLIENT_CONFIG_EU_WEST_1");
  }

  @Test
  void withoutOneTheTenantsFilesSecurityApplies() {
    assertThat(ClientIdentity.of("eu-west-1")).isEmpty();
    assertThat(ClusterClients.adminConfig(cluster))
        .containsEntry("ssl.keystore.location", "/etc/kafka-dr/replication.p12");
  }

  @Test
  void theProcessesOwnIdentityReplacesTheTenantsFilesSecurityForItsOwnClientsOnly()
      throws Exception {
    Path file = dir.resolve("controller.properties");
    Files.writeString(
        file,
        "security.protocol=SSL\n"
            + "ssl.keystore.location=/etc/kafka-dr/controller.p12\n"
            + "ssl.keystore.password=${file:/etc/kafka-dr/secrets.properties:controller}\n"
            + "ssl.truststore.location=/etc/kafka-dr/truststore.p12\n");
    System.setProperty(ClientIdentity.property("eu-west-1"), file.toString());
    Map<String, Object> own = ClusterClients.adminConfig(cluster);
    assertThat(own)
        .containsEntry("ssl.keystore.location", "/etc/kafka-dr/controller.p12")
        .containsEntry(
            "ssl.keystore.password", "${file:/etc/kafka-dr/secrets.properties:controller}")
        .containsEntry("bootstrap.servers", "b1:9093");
    assertThat(ClusterClients.readerConfig(cluster, "r"))
        .containsEntry("ssl.keystore.location", "/etc/kafka-dr/controller.p12");
    // What connectors are rendered with stays the tenants file's (replication's) principal.
    assertThat(ClusterClients.securitySettings(cluster))
        .containsEntry("ssl.keystore.location", "/etc/kafka-dr/replication.p12");
  }

  @Test
  void aKeyThatIsNoSecuritySettingIsRefusedNamingFileAndKey() throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "security.protocol=SSL\nbootstrap.servers=evil:9092\n");
    System.setProperty(ClientIdentity.property("eu-west-1"), file.toString());
    assertThatThrownBy(() -> ClusterClients.adminConfig(cluster))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("bootstrap.servers")
        .hasMessageContaining("kdr.client-config.eu-west-1");
  }

  @Test
  void aMissingFileIsAnErrorNamingWhereItWasNamed() {
    Path file = dir.resolve("absent.properties");
    System.setProperty(ClientIdentity.property("eu-west-1"), file.toString());
    assertThatThrownBy(() -> ClientIdentity.of("eu-west-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eu-west-1")
        .hasMessageContaining(file.toString())
        .hasMessageContaining("kdr.client-config.eu-west-1");
  }
}
