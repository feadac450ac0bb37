package dev.kafkadr.controller.lag;

/**
 * A source record the flow cannot copy because it is larger than a limit of the copy's path, found
 * when a source task failed with Kafka's {@code RecordTooLargeException}: the first committed
 * record not yet copied of its partition. MirrorMaker 2 never skips it ({@code errors.tolerance}
 * stays {@code none}); the flow waits for a limit to be raised.
 *
 * @param topic the source topic
 * @param partition the source partition
 * @param offset the record's source offset
 * @param sizeBytes the record's size once stamped with its provenance header, uncompressed, in
 *     bytes, as the limit named counts it: the producer's upper-bound estimate for {@code
 *     max.request.size}, the exact one-record batch for the copy's {@code max.message.bytes}
 * @param limit which limit it exceeds: {@code max.request.size} (the replication producer's) or
 *     {@code max.message.bytes} (the copy topic's)
 * @param limitBytes that limit's value, in bytes
 * @param remedy what an operator changes to let it through
 */
public record RefusedRecord(
    String topic,
    int partition,
    long offset,
    int sizeBytes,
    String limit,
    long limitBytes,
    String remedy) {

  /** One line naming the record, its size and the limit, for logs and {@code kdr status}. */
  public String describe() {
    return String.format(
        java.util.Locale.ROOT,
        "%s-%d offset %d: %,d bytes once stamped, larger than %s %,d; %s",
        topic,
        partition,
        offset,
        sizeBytes,
        limit,
        limitBytes,
        remedy);
  }
}
