package dev.kafkadr.testkit.history;

/**
 * A cluster, topic and partition packed in one long (cluster and topic as indexes into their
 * history's tables): 16 bits of cluster, 16 of topic, 32 of partition.
 */
public final class Places {

  private Places() {}

  /** Packs a place. */
  public static long pack(int cluster, int topic, int partition) {
    return ((long) (cluster & 0xFFFF) << 48)
        | ((long) (topic & 0xFFFF) << 32)
        | (partition & 0xFFFFFFFFL);
  }

  /** The cluster index of a packed place. */
  public static int cluster(long place) {
    return (int) (place >>> 48);
  }

  /** The topic index of a packed place. */
  public static int topic(long place) {
    return (int) ((place >>> 32) & 0xFFFF);
  }

  /** The partition of a packed place. */
  public static int partition(long place) {
    return (int) place;
  }

  /** The topic and partition only (cluster 0): the same partition on any cluster. */
  public static long topicPartition(long place) {
    return place & 0x0000FFFFFFFFFFFFL;
  }
}
