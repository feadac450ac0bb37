package dev.kafkadr.sandbox.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** POSIX signals and {@code /proc} reads for processes the sandbox started, always by PID. */
public final class Signals {

  private Signals() {}

  /** Suspends the process (SIGSTOP) and returns once the kernel shows it stopped. */
  public static void stop(long pid) {
    send("-STOP", pid);
    awaitState(pid, true);
  }

  /** Resumes a suspended process (SIGCONT) and returns once it is no longer stopped. */
  public static void resume(long pid) {
    send("-CONT", pid);
    awaitState(pid, false);
  }

  /** Signals are delivered asynchronously; wait (briefly) until the state shows it. */
  private static void awaitState(long pid, boolean paused) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (isAlive(pid) && isPaused(pid) != paused && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Sends SIGHUP, which servers such as BIND's {@code named} take as "reload your configuration".
   */
  public static void hangUp(long pid) {
    send("-HUP", pid);
  }

  /** Asks the process to terminate (SIGTERM). */
  public static void terminate(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
  }

  /** Kills the process (SIGKILL). */
  public static void kill(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /** Whether the process exists and has not exited (a zombie counts as exited). */
  public static boolean isAlive(long pid) {
    return state(pid).map(s -> s != 'Z' && s != 'X').orElse(false);
  }

  /** Whether the process is suspended by a signal. */
  public static boolean isPaused(long pid) {
    return state(pid).map(s -> s == 'T').orElse(false);
  }

  /** Resident memory of the process in bytes, when it can be read. */
  public static Optional<Long> residentBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String kib = line.substring(6).trim().split("\\s+")[0];
          return Optional.of(Long.parseLong(kib) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * The process's command line, arguments joined by spaces. Used to check that a PID read from a
   * description file still belongs to the sandbox before signalling it.
   */
  public static Optional<String> commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Character> state(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name in parentheses may contain spaces; the state follows the last ')'.
      int end = stat.lastIndexOf(')');
      return Optional.of(stat.charAt(end + 2));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void send(String signal, long pid) {
    if (pid <= 0) {
      // kill with 0 or a negative PID signals a whole process group, or every process we own.
      throw new IllegalArgumentException(
          "no signal " + signal + " to PID " + pid + ": not a process");
    }
    try {
      Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill " + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill " + signal + " " + pid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending " + signal + " to " + pid, e);
    }
  }
}
