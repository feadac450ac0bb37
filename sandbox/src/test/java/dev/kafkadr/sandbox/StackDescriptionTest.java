package dev.kafkadr.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackDescriptionTest {

  private static StackDescription sample(String workDir) {
    return new StackDescription(
        "t",
        workDir,
        42,
        "2026-11-25T10:00:00Z",
        8300,
        Map.of(
            "primary",
            new StackDescription.Cluster(
                "primary", "abc", "127.0.0.1:9092", List.of("primary-broker-1"))),
        List.of(
            new StackDescription.ConnectWorker(
                "connect-1", "http://127.0.0.1:8083", "g", "secondary")),
        new StackDescription.Dns(
            "dns", "127.0.0.1", 5353, "kdr.test.", "k.", "hmac-sha256", workDir + "/dns/tsig.key"),
        List.of(
            new StackDescription.Proc(
                "primary-broker-1",
                100,
                100,
                List.of(9092, 9093),
                workDir + "/d",
                workDir + "/l")));
  }

  @Test
  void roundTripsThroughTheJsonFile(@TempDir Path dir) {
    StackDescription description = sample(dir.toString());
    Path file = dir.resolve(StackDescription.FILE_NAME);

    description.write(file);

    assertThat(StackDescription.read(file)).isEqualTo(description);
    assertThat(Files.exists(dir.resolve(StackDescription.FILE_NAME + ".tmp"))).isFalse();
  }

  @Test
  void findsAProcessByRoleOrNamesTheKnownRoles(@TempDir Path dir) {
    StackDescription description = sample(dir.toString());

    assertThat(description.process("primary-broker-1").ports()).containsExactly(9092, 9093);
    assertThatThrownBy(() -> description.process("primary-broker-7"))
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("primary-broker-7")
        .hasMessageContaining("[primary-broker-1]");
  }

  @Test
  void unreadableFileIsAClearError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(StackDescription.FILE_NAME);
    Files.writeString(file, "{not json");

    assertThatThrownBy(() -> StackDescription.read(file))
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining(file.toString());
  }
}
