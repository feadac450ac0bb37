package dev.kafkadr.controller.lag;

import java.time.Instant;

/**
 * Records the source discarded (retention, deletion, a recreated topic) before they were copied:
 * MirrorMaker 2 moves on past them without a word, so they are lost to the copy.
 *
 * @param topic source topic
 * @param partition partition
 * @param fromOffset first offset lost
 * @param toOffset first offset after the loss (the source's log start when it was seen)
 * @param detectedAt when a scan first saw it
 */
public record Gap(String topic, int partition, long fromOffset, long toOffset, Instant detectedAt) {

  /** How many offsets were lost. */
  public long records() {
    return toOffset - fromOffset;
  }
}
