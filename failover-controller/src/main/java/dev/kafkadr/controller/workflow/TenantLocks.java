package dev.kafkadr.controller.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jboss.logging.Logger;

/**
 * One workflow per tenant at a time: a lock file per tenant in the journal directory, created
 * atomically ({@code O_EXCL}), holding the id of the workflow that holds it.
 */
final class TenantLocks {

  private static final Logger LOG = Logger.getLogger(TenantLocks.class);

  private final Path dir;

  /** The locks in {@code dir}, created when missing. */
  TenantLocks(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("workflow locks in " + dir, e);
    }
  }

  /** Where the lock files are. */
  Path dir() {
    return dir;
  }

  /**
   * Takes {@code tenant}'s lock for workflow {@code id}.
   *
   * @throws WorkflowRefused when another workflow holds it, naming that workflow
   */
  void lock(String tenant, String id) {
    Path lock = dir.resolve(tenant + ".lock");
    try {
      Files.writeString(lock, id, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException e) {
      String holder;
      try {
        holder = Files.readString(lock).trim();
      } catch (IOException unreadable) {
        holder = "(unreadable)";
      }
      throw new WorkflowRefused(
          "tenant \""
              + tenant
              + "\" already has a workflow running: "
              + holder
              + "; one workflow per tenant at a time");
    } catch (IOException e) {
      throw new UncheckedIOException("workflow lock " + lock, e);
    }
  }

  /** Releases {@code tenant}'s lock if workflow {@code id} holds it. */
  void unlock(String tenant, String id) {
    Path lock = dir.resolve(tenant + ".lock");
    try {
      if (Files.exists(lock) && Files.readString(lock).trim().equals(id)) {
        Files.delete(lock);
      }
    } catch (IOException e) {
      LOG.warnf("workflow lock %s not released: %s", lock, e.getMessage());
    }
  }
}
