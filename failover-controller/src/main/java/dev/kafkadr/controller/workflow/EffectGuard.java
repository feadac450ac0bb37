package dev.kafkadr.controller.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What runs before each change a workflow makes outside the store: the lease check (a replica whose
 * leader lease has ended, less the margin, makes no further call: {@link
 * dev.kafkadr.controller.store.StateStore.StaleWrite}), preceded by a test seam (as Kafka's own
 * code keeps them): with {@code kdr.debug.holds-dir} set, a workflow about to make a change of kind
 * {@code K} while the file {@code <dir>/K} exists writes {@code <dir>/K.held} and waits until
 * {@code <dir>/K} is deleted (ten minutes at most). A test arms a hold, waits for the {@code .held}
 * file, and so catches the replica just before that call (to SIGSTOP it there, say). Unset, as in
 * production, the seam does nothing.
 */
final class EffectGuard {

  private static final Logger LOG = Logger.getLogger(EffectGuard.class);
  private static final long MAX_WAIT_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);

  private final Optional<Path> dir;
  private final java.util.function.BooleanSupplier leads;

  EffectGuard(Optional<Path> dir, java.util.function.BooleanSupplier leads) {
    this.dir = dir;
    this.leads = leads;
  }

  /**
   * Before a change of {@code kind}: a test's hold, then the lease check.
   *
   * @throws dev.kafkadr.controller.store.StateStore.StaleWrite when this replica does not lead
   */
  void before(String kind) {
    hold(kind);
    if (!leads.getAsBoolean()) {
      throw new dev.kafkadr.controller.store.StateStore.StaleWrite(
          "this replica's leader lease ended before its " + kind + " change: it acts no further");
    }
  }

  /** Waits while a hold of {@code kind} is armed; returns at once otherwise. */
  private void hold(String kind) {
    if (dir.isEmpty() || !Files.exists(dir.get().resolve(kind))) {
      return;
    }
    Path held = dir.get().resolve(kind + ".held");
    try {
      Files.writeString(held, Long.toString(ProcessHandle.current().pid()));
      LOG.warnf("held before a %s change (test seam %s)", kind, dir.get());
      long deadline = System.nanoTime() + MAX_WAIT_NANOS;
      while (Files.exists(dir.get().resolve(kind)) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Files.deleteIfExists(held);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
