package dev.kafkadr.controller.lag;

import java.time.Instant;

/**
 * Records the source discarded (retention, deletion, a recreated topic) before they were copied:
 * MirrorMaker 2 moves on past them without a word, so they are lost to the copy. Offsets are
 * counted, not records: on a transactional topic, markers and aborted records within the range
 * count too.
 *
 * @param topic source topic
 * @param partition partition
 * @param fromOffset first offset lost
 * @param toOffset first offset after the loss
 * @param detectedAt when a scan first saw it
 * @param confirmed true once the copy was seen going on past the range without it (MirrorMaker 2
 *     reset its position past the discarded records, or the topic was created again): the range is
 *     exact. False while the source has discarded the range and the copy has not yet been seen past
 *     it: {@code toOffset} is then the source's log start at the last scan, and records fetched by
 *     MirrorMaker 2 before they were discarded may still reach the copy, so the range is an upper
 *     bound; it stays until a walk of the copy passes it, which replaces it by the confirmed range
 *     MirrorMaker 2 stepped over, or drops it when every record of it was copied
 */
public record Gap(
    String topic,
    int partition,
    long fromOffset,
    long toOffset,
    Instant detectedAt,
    boolean confirmed) {

  /** How many offsets were lost. */
  public long records() {
    return toOffset - fromOffset;
  }
}
