package dev.kafkadr.connect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides which durability settings of a target topic to raise so that it is at least as durable as
 * its source, never lowering anything. Pure: configs in, changes out.
 *
 * <p>Invariants: {@code min.insync.replicas} on the target only ever goes up, and never above the
 * target topic's replication factor (above it, every acks=all write, MM2's own included, would
 * fail); {@code unclean.leader.election.enable} on the target only ever goes from true to false;
 * {@code max.message.bytes} on the target only ever goes up, to the source's plus {@link
 * #HEADER_ROOM}, so that a record as large as the source accepts still fits once stamped.
 */
public final class DurabilityPlan {

  /** Minimum in-sync replicas. */
  public static final String MIN_ISR = "min.insync.replicas";

  /** Whether an out-of-sync replica may become leader (losing data). */
  public static final String UNCLEAN = "unclean.leader.election.enable";

  /** The largest record batch the topic accepts, in bytes. */
  public static final String MAX_MESSAGE_BYTES = "max.message.bytes";

  /**
   * Room a copy needs beyond its source's {@code max.message.bytes}, in bytes: the provenance
   * header ({@code kdr.provenance}, "hops;offset;timestamp;alias", at most about 110 bytes with its
   * length prefixes) on a record as large as the source accepts, with a margin.
   */
  public static final int HEADER_ROOM = 1024;

  private DurabilityPlan() {}

  /**
   * The settings to set on the target topic, by name; empty when it is already as durable.
   *
   * @param source the source topic's effective values of the two settings
   * @param target the target topic's effective values
   * @param targetReplicationFactor replicas of the target topic
   */
  public static Map<String, String> raises(
      Map<String, String> source, Map<String, String> target, int targetReplicationFactor) {
    Map<String, String> changes = new LinkedHashMap<>();
    int sourceMinIsr = parseInt(source.get(MIN_ISR), 1);
    int targetMinIsr = parseInt(target.get(MIN_ISR), 1);
    int wanted = Math.min(sourceMinIsr, Math.max(1, targetReplicationFactor));
    if (wanted > targetMinIsr) {
      changes.put(MIN_ISR, Integer.toString(wanted));
    }
    if ("false".equalsIgnoreCase(source.get(UNCLEAN))
        && "true".equalsIgnoreCase(target.get(UNCLEAN))) {
      changes.put(UNCLEAN, "false");
    }
    long sourceMax = parseLong(source.get(MAX_MESSAGE_BYTES), -1);
    long targetMax = parseLong(target.get(MAX_MESSAGE_BYTES), -1);
    if (sourceMax > 0 && targetMax > 0 && targetMax < sourceMax + HEADER_ROOM) {
      changes.put(MAX_MESSAGE_BYTES, Long.toString(sourceMax + HEADER_ROOM));
    }
    return changes;
  }

  /** Whether the source asks for more in-sync replicas than the target topic has. */
  public static boolean cappedByReplicationFactor(
      Map<String, String> source, int targetReplicationFactor) {
    return parseInt(source.get(MIN_ISR), 1) > targetReplicationFactor;
  }

  private static long parseLong(String value, long fallback) {
    try {
      return value == null ? fallback : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static int parseInt(String value, int fallback) {
    try {
      return value == null ? fallback : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
