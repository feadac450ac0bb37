package dev.kafkadr.bench;

/**
 * What one benchmark round measured.
 *
 * @param rawRecordsPerSec raw producer to the primary, acks=all
 * @param catchUpRecordsPerSec MM2 copying the backlog, from the first record on the target to the
 *     last (the connector's start-up excluded)
 * @param catchUpWithStartRecordsPerSec the same, from the connector's creation
 * @param latencyP50Ms replication latency of a steady trickle, median
 * @param latencyP99Ms 99th percentile
 * @param latencyMaxMs maximum
 */
public record RoundResult(
    double rawRecordsPerSec,
    double catchUpRecordsPerSec,
    double catchUpWithStartRecordsPerSec,
    double latencyP50Ms,
    double latencyP99Ms,
    double latencyMaxMs) {

  /** MM2 catch-up rate over raw producer rate. */
  public double ratio() {
    return catchUpRecordsPerSec / rawRecordsPerSec;
  }
}
