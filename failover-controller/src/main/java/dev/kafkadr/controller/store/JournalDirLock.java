package dev.kafkadr.controller.store;

import dev.kafkadr.controller.ControllerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The local store's guard: one controller replica per journal directory. At start, before any
 * journal is read, the controller takes an exclusive OS lock ({@code fcntl} through {@link
 * FileChannel#tryLock()}) on {@code <journal-dir>/controller.lock} and writes who holds it (PID,
 * host, the HTTP or, served over HTTPS only, HTTPS port, since when); a second replica on the same
 * directory refuses to start, naming the holder. Two replicas on one directory would each resume
 * every unfinished workflow and run it twice. The kernel drops the lock when the process dies, so a
 * killed controller's successor starts.
 */
@ApplicationScoped
public class JournalDirLock {

  /** The lock file's name in the journal directory. */
  public static final String FILE = "controller.lock";

  private final Path dir;
  private final String role;
  private FileChannel channel;
  private FileLock lock;

  @jakarta.inject.Inject
  JournalDirLock(
      ControllerConfig config,
      @ConfigProperty(name = "quarkus.http.port") int httpPort,
      @ConfigProperty(name = "quarkus.http.ssl-port") int httpsPort,
      @ConfigProperty(name = "quarkus.http.insecure-requests", defaultValue = "enabled")
          String insecureRequests) {
    // Served over HTTPS only, the plain HTTP port is not bound: name the one that is.
    this(
        config.workflow().journalDir(),
        "disabled".equalsIgnoreCase(insecureRequests)
            ? "HTTPS port " + httpsPort
            : "HTTP port " + httpPort);
  }

  /**
   * The lock of {@code dir} for a process that says what it is with {@code role} (written in the
   * lock file, e.g. {@code kdr store migrate}); not taken yet.
   */
  public JournalDirLock(Path dir, String role) {
    this.dir = dir;
    this.role = role;
  }

  /**
   * Takes the lock before the workflows resume.
   *
   * @throws IllegalStateException naming the holder when another process holds it
   */
  void acquire(@Observes @Priority(1000) StartupEvent event) {
    acquire();
  }

  /**
   * Takes the lock.
   *
   * @throws IllegalStateException naming the holder when another process holds it
   * @throws UncheckedIOException when the directory or file cannot be written
   */
  public synchronized void acquire() {
    if (lock != null) {
      return;
    }
    Path file = dir.resolve(FILE);
    try {
      Files.createDirectories(dir);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        lock = channel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        lock = null; // held by this very process, through another channel
      }
      if (lock == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
        channel.close();
        channel = null;
        throw new IllegalStateException(
            "kdr.workflow.journal-dir "
                + dir.toAbsolutePath()
                + " is in use by another controller or tool ("
                + (holder.isEmpty() ? "holder not yet written" : holder)
                + "): the local store serves one replica; give this one its own directory, or"
                + " run replicas on the etcd store");
      }
      String me =
          "pid "
              + ProcessHandle.current().pid()
              + " on "
              + InetAddress.getLocalHost().getHostName()
              + ", "
              + role
              + ", since "
              + Instant.now();
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }

  /** Releases the lock as the controller stops. */
  void release(@Observes ShutdownEvent event) {
    release();
  }

  /** Releases the lock; nothing when not held. */
  public synchronized void release() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // Closing the channel or exiting the process releases it anyway.
    } finally {
      lock = null;
      channel = null;
    }
  }
}
