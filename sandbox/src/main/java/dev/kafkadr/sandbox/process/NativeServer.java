package dev.kafkadr.sandbox.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A server that is not a JVM (BIND's {@code named}, {@code etcd}) run as a sandbox child: a small
 * shell wrapper starts it, writes its PID to a file, and stops it by that PID when the sandbox's
 * pipe on the wrapper's standard input closes, giving it the "parent gone, exit" behaviour of the
 * Java children ({@link ParentWatchdog}). Signals for kill, pause and resume go to the server's own
 * PID.
 */
public final class NativeServer {

  private static final String WRAPPER =
      String.join(
          "\n",
          "#!/bin/sh",
          "# Written by the kafka-dr sandbox. Usage: run-server.sh <pid file> <command...>",
          "# Runs the command; stops it when the sandbox's pipe on stdin closes.",
          "pid_file=\"$1\"",
          "shift",
          "exec 3<&0",
          "\"$@\" </dev/null &",
          "server_pid=$!",
          "echo \"$server_pid\" > \"$pid_file\"",
          "trap 'kill -TERM \"$server_pid\" 2>/dev/null' TERM INT",
          "( while read -r _ <&3; do :; done; kill -TERM \"$server_pid\" 2>/dev/null ) &",
          "watch_pid=$!",
          "wait \"$server_pid\"",
          "rc=$?",
          "wait \"$server_pid\" 2>/dev/null",
          "rm -f \"$pid_file\"",
          "kill \"$watch_pid\" 2>/dev/null",
          "exit $rc",
          "");

  private NativeServer() {}

  /**
   * A child running {@code command} under the wrapper, which it writes into {@code dir} with the
   * PID file {@code <role>.pid} and the log {@code <role>.log}; not started yet.
   *
   * @throws UncheckedIOException when the wrapper cannot be written
   */
  public static ChildProcess prepare(String role, Path dir, List<String> command) {
    Path wrapper = dir.resolve("run-server.sh");
    Path pidFile = dir.resolve(role + ".pid");
    try {
      Files.createDirectories(dir);
      if (!Files.exists(wrapper)) {
        Files.writeString(wrapper, WRAPPER);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the server wrapper in " + dir, e);
    }
    List<String> line = new ArrayList<>(List.of(wrapper.toString(), pidFile.toString()));
    line.addAll(command);
    return new ChildProcess(role, line, dir.resolve(role + ".log"), () -> readPid(pidFile));
  }

  private static long readPid(Path pidFile) {
    try {
      return Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }
}
