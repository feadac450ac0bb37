package dev.kafkadr.controller.lag;

/**
 * One partition of one of a tenant's consumer groups: where it is on the source, what MM2's newest
 * checkpoint says it would resume from on the target, and what it would read twice if it failed
 * over now.
 *
 * @param group consumer group id
 * @param topic source topic
 * @param partition partition
 * @param committedOffset the group's committed offset on the source
 * @param checkpointUpstream the source offset of the newest checkpoint, -1 without one
 * @param translatedOffset the copy offset that checkpoint translates to (where the group would
 *     resume on the target), -1 without one
 * @param reReadIfFailedOver records on the copy between the translated offset and the copy of the
 *     committed position: read again by the group after a failover now; -1 without a checkpoint
 *     (the group would start from its {@code auto.offset.reset})
 * @param checkpointAgeSeconds age of the newest checkpoint, -1 without one
 */
public record GroupLag(
    String group,
    String topic,
    int partition,
    long committedOffset,
    long checkpointUpstream,
    long translatedOffset,
    long reReadIfFailedOver,
    double checkpointAgeSeconds) {}
