package dev.kafkadr.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.sandbox.StackDescription;
import dev.kafkadr.sandbox.process.Io;
import dev.kafkadr.sandbox.process.Signals;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The {@code kdr-sandbox} command line against a stack run by a separate supervisor JVM, and what
 * happens when that JVM is killed with SIGKILL: children exit by themselves, a SIGSTOPped child is
 * reaped by PID, and no port or directory stays taken.
 */
class SandboxCliIT {

  private final Path root =
      Path.of("target", "cli-it-" + ProcessHandle.current().pid()).toAbsolutePath();
  private Process supervisor;

  @AfterEach
  void cleanUp() {
    if (supervisor != null) {
      supervisor.destroyForcibly();
    }
    run("down", "--name", "cli", "--root", root.toString());
    Io.deleteTree(root);
  }

  @Test
  void supervisorKilledWithSigkillLeavesNoProcessPortOrDirectoryBehind() throws Exception {
    supervisor = startUp();
    Path workDir = root.resolve("cli");
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> Files.exists(workDir.resolve(UpCommand.READY_FILE)) || !supervisor.isAlive());
    assertThat(supervisor.isAlive()).as("supervisor output: %s", output()).isTrue();
    StackDescription description =
        StackDescription.read(workDir.resolve(StackDescription.FILE_NAME));

    String status = run("status", "--name", "cli", "--root", root.toString());
    assertThat(status).contains("primary-broker-1", "secondary-broker-1", "connect-1", "running");

    assertThat(run("pause", "primary-broker-1", "--name", "cli", "--root", root.toString()))
        .startsWith("paused primary-broker-1");
    long paused = description.process("primary-broker-1").pid();
    assertThat(Signals.isPaused(paused)).isTrue();
    assertThat(run("status", "--name", "cli", "--root", root.toString()))
        .containsPattern("primary-broker-1 +\\d+ +paused");
    assertThat(run("kill", "connect-1", "--name", "cli", "--root", root.toString()))
        .startsWith("killed connect-1");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !Signals.isAlive(description.process("connect-1").pid()));

    supervisor.destroyForcibly().waitFor();

    List<Long> others = new ArrayList<>();
    description.processes().stream()
        .filter(p -> p.pid() != paused)
        .forEach(p -> others.add(p.pid()));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(others)
                    .allSatisfy(
                        pid -> assertThat(Signals.isAlive(pid)).as("PID %d", pid).isFalse()));
    assertThat(Signals.isPaused(paused))
        .as("a SIGSTOPped child cannot notice; down must reap it")
        .isTrue();

    assertThat(run("down", "--name", "cli", "--root", root.toString()))
        .contains("stopped", "removed");

    assertThat(Signals.isAlive(paused)).isFalse();
    assertThat(workDir).doesNotExist();
    // No listener is left on any port the sandbox used. (Binding the ports again would be a
    // racy check: they come from the ephemeral range, which any client connection may take.) The
    // kernel closes a killed process's sockets as it tears the process down, which can end a
    // moment after the process is gone from the process table: allow it a few seconds.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Set<Integer> listening = listeningPorts();
              for (StackDescription.Proc p : description.processes()) {
                assertThat(p.ports()).as(p.role()).doesNotContainAnyElementsOf(listening);
              }
            });
  }

  @Test
  void detachedSandboxRunsInTheBackgroundUntilDown() {
    String up = run("up", "--detach", "--no-dns", "--name", "cli", "--root", root.toString());
    assertThat(up)
        .contains("sandbox cli up in", "running in the background", "supervisor alive: true");
    StackDescription description =
        StackDescription.read(root.resolve("cli").resolve(StackDescription.FILE_NAME));
    assertThat(description.processes())
        .allSatisfy(p -> assertThat(Signals.isAlive(p.pid())).isTrue());

    assertThat(run("down", "--name", "cli", "--root", root.toString())).contains("stopped");

    assertThat(description.processes())
        .allSatisfy(p -> assertThat(Signals.isAlive(p.pid())).as(p.role()).isFalse());
    assertThat(Signals.isAlive(description.supervisorPid())).isFalse();
    assertThat(root.resolve("cli")).doesNotExist();
  }

  @Test
  void commandsOnAMissingSandboxSayWhatToDo() {
    StringWriter err = new StringWriter();
    CommandLine cli = SandboxCli.commandLine().setErr(new PrintWriter(err));

    int code = cli.execute("status", "--name", "nothing-here", "--root", root.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("no sandbox 'nothing-here' is running")
        .contains("kdr-sandbox up");
  }

  @Test
  void badUsageExitsWithTwo() {
    CommandLine cli = SandboxCli.commandLine().setErr(new PrintWriter(new StringWriter()));

    assertThat(cli.execute("up", "--brokers", "many")).isEqualTo(2);
  }

  /** Local ports in LISTEN state, from /proc/net/tcp and tcp6 (state 0A). */
  private static Set<Integer> listeningPorts() throws Exception {
    Set<Integer> ports = new HashSet<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(file);
      if (!Files.exists(path)) {
        continue;
      }
      for (String line : Files.readAllLines(path).subList(1, Files.readAllLines(path).size())) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 3 && "0A".equals(fields[3])) {
          String local = fields[1];
          ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
        }
      }
    }
    return ports;
  }

  private Process startUp() throws Exception {
    Files.createDirectories(root);
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            SandboxCli.class.getName(),
            "up",
            "--name",
            "cli",
            "--root",
            root.toString(),
            "--no-dns");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(root.resolve("supervisor.out").toFile())
        .start();
  }

  private String output() throws Exception {
    return Files.readString(root.resolve("supervisor.out"));
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    SandboxCli.commandLine()
        .setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .execute(args);
    return out + err.toString();
  }
}
