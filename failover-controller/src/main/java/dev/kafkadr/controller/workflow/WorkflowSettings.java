package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.ControllerConfig;
import dev.kafkadr.controller.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How workflows run.
 *
 * @param journalDir the local directory of drill reports (and, on the local store, of journals,
 *     tenant locks and the audit log)
 * @param drainTimeout longest wait for replication to copy everything after the fence
 * @param settleTimeout longest wait for consumer groups to commit the last records on the old
 *     cluster before they are fenced too
 * @param dnsTimeout how long the traffic switch tries again a DNS provider it cannot reach
 * @param store where journals, tenant locks and the audit log are kept
 */
public record WorkflowSettings(
    Path journalDir,
    Duration drainTimeout,
    Duration settleTimeout,
    Duration dnsTimeout,
    StateStore store) {

  /** The settings {@code kdr.workflow.*} gives, keeping state in {@code store}. */
  public static WorkflowSettings of(ControllerConfig.Workflow w, StateStore store) {
    return new WorkflowSettings(
        w.journalDir(), w.drainTimeout(), w.settleTimeout(), w.dnsTimeout(), store);
  }
}
