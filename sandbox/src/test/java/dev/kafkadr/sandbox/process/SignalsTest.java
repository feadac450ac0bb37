package dev.kafkadr.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignalsTest {

  @Test
  void pausesResumesAndKillsARealProcessByPid(@TempDir Path dir) {
    ChildProcess sleeper =
        new ChildProcess("sleeper", List.of("sleep", "300"), dir.resolve("sleeper.log"));
    sleeper.start();
    try {
      long pid = sleeper.pid();
      assertThat(Signals.isAlive(pid)).isTrue();
      assertThat(Signals.commandLine(pid))
          .hasValueSatisfying(c -> assertThat(c).contains("sleep 300"));
      assertThat(Signals.residentBytes(pid)).hasValueSatisfying(b -> assertThat(b).isPositive());

      sleeper.pause();
      await().atMost(Duration.ofSeconds(5)).until(() -> Signals.isPaused(pid));
      sleeper.resume();
      await().atMost(Duration.ofSeconds(5)).until(() -> !Signals.isPaused(pid));

      sleeper.kill();
      assertThat(sleeper.isAlive()).isFalse();
      assertThat(Signals.isAlive(pid)).isFalse();
    } finally {
      sleeper.stop(Duration.ofSeconds(1));
    }
  }

  @Test
  void stopEndsAPausedProcess(@TempDir Path dir) {
    ChildProcess sleeper =
        new ChildProcess("sleeper", List.of("sleep", "300"), dir.resolve("sleeper.log"));
    sleeper.start();
    sleeper.pause();

    sleeper.stop(Duration.ofSeconds(5));

    assertThat(sleeper.isAlive()).isFalse();
  }

  @Test
  void tailShowsTheLastLinesOfTheChildOutput(@TempDir Path dir) throws Exception {
    ChildProcess echo =
        new ChildProcess(
            "echo",
            List.of("sh", "-c", "for i in 1 2 3 4 5; do echo line-$i; done"),
            dir.resolve("echo.log"));
    echo.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> !echo.isAlive());

    assertThat(echo.tail(2)).isEqualTo("line-4\nline-5");
    assertThat(Files.readString(dir.resolve("echo.log"))).startsWith("line-1");
  }

  @Test
  void freePortsAreDistinctAndBindable() throws Exception {
    List<Integer> ports = FreePorts.allocate(5, true);

    assertThat(ports).doesNotHaveDuplicates().hasSize(5);
    try (var socket =
        new java.net.ServerSocket(ports.get(0), 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(socket.getLocalPort()).isEqualTo(ports.get(0));
    }
  }
}
