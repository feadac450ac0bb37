package dev.kafkadr.controller.lag;

/**
 * A transaction open on a source partition, holding its last stable offset: a {@code
 * read_committed} replication copies nothing past it until it ends.
 *
 * @param producerId the producer that holds it
 * @param startOffset the offset of its first record on the partition
 * @param since the timestamp of that record (ms), -1 when it could not be read
 * @param lastWrite when the producer last wrote to the partition (ms)
 * @param records offsets held behind it (its records and everything written after them)
 * @param description one line: {@code held by an open transaction since T (producer id P, N
 *     offsets)}
 */
public record OpenTransaction(
    long producerId,
    long startOffset,
    long since,
    long lastWrite,
    long records,
    String description) {

  /** An open transaction, described. */
  static OpenTransaction of(
      long producerId, long startOffset, long since, long lastWrite, long records) {
    return new OpenTransaction(
        producerId,
        startOffset,
        since,
        lastWrite,
        records,
        "held by an open transaction since "
            + (since < 0
                ? "offset " + startOffset
                : java.time.Instant.ofEpochMilli(since).toString())
            + " (producer id "
            + producerId
            + ", "
            + records
            + " offsets)");
  }

  /** Its age at {@code atMillis}, in seconds; NaN when its first record could not be read. */
  public double ageSeconds(long atMillis) {
    return since < 0 ? Double.NaN : Math.max(0, (atMillis - since) / 1000.0);
  }
}
