package dev.kafkadr.sandbox;

import dev.kafkadr.sandbox.process.Io;
import dev.kafkadr.sandbox.process.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after sandboxes whose supervising JVM died without stopping them (SIGKILL, a crash).
 *
 * <p>Their children normally exit by themselves when the supervisor's pipe closes; this removes
 * their directories and kills, by PID, any child that is still there (a SIGSTOPped one cannot see
 * its pipe close). A PID is only signalled when its command line still contains the sandbox's work
 * directory, so a reused PID is never touched.
 */
public final class StaleSandboxes {

  private static final Logger LOG = LoggerFactory.getLogger(StaleSandboxes.class);

  /** File in each work directory naming the supervisor: {@code <pid> <start-epoch-millis>}. */
  public static final String SUPERVISOR_FILE = "supervisor.pid";

  private StaleSandboxes() {}

  /** Reaps every dead sandbox under {@code root}; live ones are left alone. */
  public static void reap(Path root) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(Files::isDirectory)
          .filter(d -> !supervisorAlive(d))
          .forEach(StaleSandboxes::reapOne);
    } catch (IOException e) {
      LOG.warn("cannot list {} to clean stale sandboxes: {}", root, e.toString());
    }
  }

  /** Whether the JVM that created {@code workDir} is still running. */
  public static boolean supervisorAlive(Path workDir) {
    return supervisor(workDir).isPresent();
  }

  /** The live supervisor of {@code workDir}, if there is one. */
  public static Optional<ProcessHandle> supervisor(Path workDir) {
    Path file = workDir.resolve(SUPERVISOR_FILE);
    try {
      String[] parts = Files.readString(file).trim().split("\\s+");
      long pid = Long.parseLong(parts[0]);
      long started = Long.parseLong(parts[1]);
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(
              h ->
                  h.info()
                      .startInstant()
                      .map(i -> Math.abs(i.toEpochMilli() - started) < 2000)
                      .orElse(false));
    } catch (IOException | RuntimeException e) {
      // No supervisor file: a directory that never got going, or not a sandbox at all.
      return Optional.empty();
    }
  }

  /** Writes the supervisor file for the current JVM. */
  public static void claim(Path workDir) throws IOException {
    ProcessHandle self = ProcessHandle.current();
    long started = self.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    Files.writeString(workDir.resolve(SUPERVISOR_FILE), self.pid() + " " + started + "\n");
  }

  private static void awaitDeath(long pid) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (Signals.isAlive(pid) && System.nanoTime() < deadline) {
      Io.sleep(50);
    }
    if (Signals.isAlive(pid)) {
      LOG.warn("PID {} is still alive 10 s after SIGKILL", pid);
    }
  }

  /** Kills the children of a dead sandbox by PID and deletes its directory. */
  static void reapOne(Path workDir) {
    Path description = workDir.resolve(StackDescription.FILE_NAME);
    if (Files.exists(description)) {
      try {
        killChildren(StackDescription.read(description).processes(), workDir);
      } catch (SandboxException e) {
        LOG.warn("stale sandbox {}: {}", workDir, e.getMessage());
      }
    }
    if (Files.exists(workDir.resolve(SUPERVISOR_FILE)) || Files.exists(description)) {
      LOG.info("removing stale sandbox directory {}", workDir);
      Io.deleteTree(workDir);
    }
  }

  /** Kills, by PID, each listed process whose command line still names {@code workDir}. */
  public static void killChildren(List<StackDescription.Proc> processes, Path workDir) {
    String marker = workDir.toAbsolutePath().toString();
    for (StackDescription.Proc proc : processes) {
      for (long pid : new long[] {proc.pid(), proc.launcherPid()}) {
        if (pid > 0
            && Signals.isAlive(pid)
            && Signals.commandLine(pid).map(c -> c.contains(marker)).orElse(false)) {
          LOG.info("killing leftover {} (PID {})", proc.role(), pid);
          Signals.resume(pid);
          Signals.kill(pid);
          awaitDeath(pid);
        }
      }
    }
  }
}
