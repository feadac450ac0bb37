package dev.kafkadr.controller.lag;

/**
 * One source partition of a tenant against its copy on the flow's target, as one scan measured it:
 * the copy's position read first, the source's log start and end after it.
 *
 * @param topic source topic
 * @param partition partition
 * @param copy the copy's topic on the target, or null when there is none
 * @param sourceLogStart first offset the source still holds, -1 when it did not answer
 * @param sourceLogEnd the source's last stable offset (what read_committed readers, replication
 *     among them, can read up to), -1 when it did not answer
 * @param sourceHighWatermark the source's high watermark (everything written, committed or not), -1
 *     when it did not answer
 * @param copyLogEnd the copy partition's end offset when its position was read, -1 when there is no
 *     copy or it did not answer
 * @param replicatedUpTo first source offset not yet copied, -1 when it could not be told
 * @param measuredBy how {@code replicatedUpTo} was found: {@code provenance} (the newest copied
 *     record's provenance header), {@code connector-offsets} (the source connector's committed
 *     offset), {@code no-copy} (the copy partition does not exist), {@code empty-copy} (it never
 *     held a record), {@code source-recreated} (the source went behind its copy) or {@code unknown}
 * @param lagRecords offsets on the source not yet on the target at any moment of the scan, at most
 *     (an upper bound); -1 when unknown
 * @param lagSeconds age at {@code measuredAt} of the oldest source record not yet on the target, 0
 *     without lag, -1 when unknown
 * @param oldestUnreplicatedTimestamp its timestamp (ms), -1 without lag or when unknown
 * @param unknownReason why this partition has no figure (a read that failed or timed out), or null
 * @param transactional whether an active producer of the partition is transactional (its offsets
 *     then hold markers and aborted records: lag in offsets over-counts records); null when it was
 *     not asked (no lag and no open transaction)
 * @param openTransaction the open transaction that holds the last stable offset, or null
 * @param note why {@code replicatedUpTo} comes from the source connector's committed offset when
 *     the copy could not tell (a copy whose records the target deleted, by its {@code retention.ms}
 *     for one: copies of old records), or null
 */
public record PartitionLag(
    String topic,
    int partition,
    String copy,
    long sourceLogStart,
    long sourceLogEnd,
    long sourceHighWatermark,
    long copyLogEnd,
    long replicatedUpTo,
    String measuredBy,
    long lagRecords,
    double lagSeconds,
    long oldestUnreplicatedTimestamp,
    String unknownReason,
    Boolean transactional,
    OpenTransaction openTransaction,
    String note) {

  /** Whether this partition has a figure. */
  public boolean known() {
    return unknownReason == null;
  }
}
