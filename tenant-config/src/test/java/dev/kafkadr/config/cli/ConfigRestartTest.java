package dev.kafkadr.config.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigRestartTest {

  @Test
  void anUnknownTenantIsBadUsageNamingTheFileAndTheTenantsBeforeAnyConnectCall() {
    Path file = Path.of("..", "configs", "examples", "active-passive.yaml");
    StringWriter out = new StringWriter();
    int code =
        KdrCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(out))
            .execute(
                "config",
                "restart",
                "--file",
                file.toString(),
                "--connect",
                "http://127.0.0.1:1",
                "--tenant",
                "nope");
    assertThat(code).isEqualTo(2);
    assertThat(out.toString())
        .contains("--tenant nope: no such tenant in " + file)
        .contains("payments");
  }
}
