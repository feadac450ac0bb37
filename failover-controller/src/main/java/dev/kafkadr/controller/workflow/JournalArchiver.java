package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.ControllerConfig;
import dev.kafkadr.controller.store.Leadership;
import dev.kafkadr.controller.store.StateStore;
import dev.kafkadr.controller.store.StoreException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Every {@code kdr.workflow.archive-every} (1 h), on the leader: old workflow journals out of the
 * state store into the archive directory ({@link JournalArchive}).
 */
@ApplicationScoped
public class JournalArchiver {

  private static final Logger LOG = Logger.getLogger(JournalArchiver.class);

  private final Workflows workflows;
  private final ControllerConfig config;
  private final Leadership leadership;

  JournalArchiver(Workflows workflows, ControllerConfig config, Leadership leadership) {
    this.workflows = workflows;
    this.config = config;
    this.leadership = leadership;
  }

  private Path dir() {
    return JournalArchive.dir(config.workflow());
  }

  @Scheduled(
      every = "${kdr.workflow.archive-every}",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void archive() {
    if (!leadership.leads() || workflows.store() == null) {
      return;
    }
    try {
      List<String> done =
          JournalArchive.run(
              workflows.store(),
              List.copyOf(workflows.runs().values()),
              JournalArchive.lockedIds(workflows.locks().held()),
              dir(),
              config.workflow().archiveAfter(),
              Instant.now());
      done.forEach(workflows.runs()::remove);
      JournalArchive.rotateAudit(
              workflows.store(), dir(), config.workflow().archiveAfter(), Instant.now())
          .ifPresent(f -> LOG.infof("audit log rotated out of the store to %s", f));
      if (!done.isEmpty()) {
        LOG.infof("%d workflow journals archived to %s", done.size(), dir());
      }
    } catch (StateStore.StaleWrite | StoreException | UncheckedIOException e) {
      LOG.warnf("journals not archived: %s", e.getMessage());
    }
  }
}
