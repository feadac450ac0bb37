package dev.kafkadr.controller.workflow;

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
 * @param store where journals, tenant locks and the audit log are kept
 */
public record WorkflowSettings(
    Path journalDir, Duration drainTimeout, Duration settleTimeout, StateStore store) {}
