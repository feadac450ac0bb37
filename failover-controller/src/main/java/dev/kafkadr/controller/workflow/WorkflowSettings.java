package dev.kafkadr.controller.workflow;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How workflows run.
 *
 * @param journalDir where journals, tenant locks and the audit log live
 * @param drainTimeout longest wait for replication to copy everything after the fence
 * @param settleTimeout longest wait for consumer groups to commit the last records on the old
 *     cluster before they are fenced too
 */
public record WorkflowSettings(Path journalDir, Duration drainTimeout, Duration settleTimeout) {}
