package dev.kafkadr.sandbox.process;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server process of the sandbox (a broker, a Connect worker, the DNS server), known by its role
 * such as {@code primary-broker-2}.
 *
 * <p>Invariant: while this object is running, the write end of the child's standard input stays
 * open and is never written to; the child treats end of input as "parent gone" and exits (see
 * {@link ParentWatchdog}). Every signal is sent to a PID this object started or read from a file
 * its own child wrote.
 */
public final class ChildProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

  private final String role;
  private final List<String> command;
  private final Path logFile;
  private final LongSupplier serverPid;
  private volatile Process process;
  private final java.util.Map<String, String> environment = new java.util.HashMap<>();

  /**
   * @param role the sandbox role name, used in messages and for kill/pause
   * @param command the command line to run
   * @param logFile where the child's stdout and stderr are appended
   * @param serverPid reads the PID of the real server when the command is a wrapper, or returns -1
   *     to use the PID of the command itself
   */
  public ChildProcess(String role, List<String> command, Path logFile, LongSupplier serverPid) {
    this.role = role;
    this.command = List.copyOf(command);
    this.logFile = logFile;
    this.serverPid = serverPid;
  }

  /** A child whose command is the server itself. */
  public ChildProcess(String role, List<String> command, Path logFile) {
    this(role, command, logFile, () -> -1);
  }

  /**
   * Adds {@code variables} to the environment the process starts with (each start after this): the
   * place for secrets, which a command line would show to every local user.
   */
  public synchronized ChildProcess environment(java.util.Map<String, String> variables) {
    environment.putAll(variables);
    return this;
  }

  /** Starts (or, after a kill, restarts) the process. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(role + " is already running as PID " + process.pid());
    }
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.PIPE);
      builder.environment().putAll(environment);
      process = builder.start();
      LOG.debug("started {} as PID {}: {}", role, process.pid(), command);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + role + " (" + command.get(0) + ")", e);
    }
  }

  /** The role name, e.g. {@code secondary-broker-1}. */
  public String role() {
    return role;
  }

  /** The PID of the server: the wrapped server's when there is a wrapper, else the child's. */
  public long pid() {
    long wrapped = serverPid.getAsLong();
    return wrapped > 0 ? wrapped : launcherPid();
  }

  /** The PID of the process this object started. */
  public long launcherPid() {
    Process current = process;
    return current == null ? -1 : current.pid();
  }

  /** Where this child's output goes. */
  public Path logFile() {
    return logFile;
  }

  /** Whether the child has been started and has not exited. */
  public boolean isAlive() {
    Process current = process;
    return current != null && current.isAlive();
  }

  /** Kills the server with SIGKILL, as a crash would. */
  public void kill() {
    long pid = pid();
    if (pid > 0) {
      Signals.kill(pid);
      awaitExit(Duration.ofSeconds(10));
    }
  }

  /** Suspends the server with SIGSTOP. */
  public void pause() {
    Signals.stop(requireAlive());
  }

  /** Resumes the server with SIGCONT. */
  public void resume() {
    Signals.resume(requireAlive());
  }

  /**
   * Stops the child: SIGCONT in case it was paused, SIGTERM, then SIGKILL after {@code grace}.
   * Closing its standard input as well ends a child that ignores SIGTERM.
   */
  public void stop(Duration grace) {
    Process current = process;
    if (current == null || !current.isAlive()) {
      return;
    }
    long pid = pid();
    if (Signals.isPaused(pid)) {
      Signals.resume(pid);
    }
    Signals.terminate(pid);
    if (pid != current.pid()) {
      Signals.terminate(current.pid());
    }
    if (!awaitExit(grace)) {
      LOG.debug("{} (PID {}) still shutting down after {}; sending SIGKILL", role, pid, grace);
      Signals.kill(pid);
      current.destroyForcibly();
      awaitExit(Duration.ofSeconds(10));
    }
    closeStdin(current);
  }

  /** The last {@code lines} lines of the child's output, for error messages. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join(
          "\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
    } catch (IOException | UncheckedIOException e) {
      return "(no output in " + logFile + ")";
    }
  }

  /**
   * The first {@code max} lines of the log at level ERROR or FATAL (with Log4j's layout, {@code "]
   * ERROR ["}), joined by newlines, or an empty string: what made a process that exited during
   * start-up give up, which the log's tail (its shutdown) does not say.
   */
  public String errors(int max) {
    try (var lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
      return String.join(
          "\n",
          lines
              .filter(l -> l.contains("] ERROR [") || l.contains("] FATAL ["))
              .limit(max)
              .toList());
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  private boolean awaitExit(Duration timeout) {
    Process current = process;
    if (current == null) {
      return true;
    }
    try {
      return current.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private long requireAlive() {
    if (!isAlive()) {
      throw new IllegalStateException(role + " is not running");
    }
    return pid();
  }

  private static void closeStdin(Process process) {
    OutputStream stdin = process.getOutputStream();
    try {
      stdin.close();
    } catch (IOException ignored) {
      // The child is gone; nothing was ever written to this pipe.
    }
  }
}
