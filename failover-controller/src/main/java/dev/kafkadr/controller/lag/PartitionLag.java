package dev.kafkadr.controller.lag;

/**
 * One source partition of a tenant against its copy on the flow's target.
 *
 * @param topic source topic
 * @param partition partition
 * @param copy the copy's topic on the target
 * @param sourceLogStart first offset the source still holds
 * @param sourceLogEnd next offset the source will write (last stable offset)
 * @param replicatedUpTo first source offset not yet copied, -1 when it could not be told
 * @param measuredBy how {@code replicatedUpTo} was found: {@code provenance} (the newest copied
 *     record's provenance header), {@code empty-copy} (nothing copied yet) or {@code unknown}
 * @param lagRecords offsets on the source not yet on the target
 * @param lagSeconds age of the oldest source record not yet on the target, 0 without lag
 * @param oldestUnreplicatedTimestamp its timestamp (ms), -1 without lag
 */
public record PartitionLag(
    String topic,
    int partition,
    String copy,
    long sourceLogStart,
    long sourceLogEnd,
    long replicatedUpTo,
    String measuredBy,
    long lagRecords,
    double lagSeconds,
    long oldestUnreplicatedTimestamp) {}
