package dev.kafkadr.controller.lag.measure;

/**
 * The rule that turns one scan's reads of a partition into records at risk.
 *
 * <p>A scan reads the copy's position first (at t1) and the source's log start and end after it (at
 * t2 >= t1). The copy's position only grows and the source's end only grows, so for every instant t
 * in [t1, t2]: {@code end(t) - position(t) <= end(t2) - position(t1)}. The figure {@code end(t2) -
 * max(position(t1), start(t2))} is therefore at least the records not yet copied at any moment of
 * the scan: an upper bound, never below the truth, and exact when nothing was written or copied
 * between the two reads. Read the other way round (source first, as this controller once did), the
 * copy can pass the source end read before it under load, and no bound holds.
 *
 * <p>A copy position past the source's end means the source went backwards (the topic was deleted
 * and created again, or truncated): {@link Measure#sourceBehindCopy} says so, and the caller
 * decides what the copy's offsets mean then. Offsets are counted, not records: on a compacted
 * topic, or one with transaction markers, the figure is an upper bound on records.
 */
public final class AtRiskBound {

  private AtRiskBound() {}

  /**
   * The figure when the source's range {@code [first uncopied, stableEnd)} was read (after t2) and
   * holds no committed record (only transaction markers and aborted records): nothing committed
   * waits, and only what an open transaction holds, {@code highWatermark - stableEnd}, is at risk.
   */
  public static long heldOnly(long stableEnd, long highWatermark) {
    return Math.max(0, highWatermark - stableEnd);
  }

  /**
   * A partition's measurement.
   *
   * @param measuredBy how the copy's position was found ({@link CopyPosition.Kind#label})
   * @param firstUncopied the first source offset not copied, or -1 when unknown
   * @param lagRecords offsets not copied at any moment of the scan, at most; -1 when unknown
   * @param unknownReason why there is no figure, or null
   * @param sourceBehindCopy whether the copy's position lies past the source's end
   */
  public record Measure(
      String measuredBy,
      long firstUncopied,
      long lagRecords,
      String unknownReason,
      boolean sourceBehindCopy) {

    /** Whether there is a figure. */
    public boolean known() {
      return unknownReason == null;
    }
  }

  /**
   * Measures one partition.
   *
   * @param copy the copy's position, read first (t1)
   * @param sourceStart the source's log start, read after it (t2)
   * @param sourceEnd the source's high watermark (everything written, committed or not), read with
   *     the start (t2)
   */
  public static Measure measure(CopyPosition copy, long sourceStart, long sourceEnd) {
    String by = copy.kind().label();
    switch (copy.kind()) {
      case UNKNOWN:
        return new Measure(by, -1, -1, copy.reason(), false);
      case NO_COPY:
      case EMPTY_COPY:
      case OLDER_INCARNATION:
        // Nothing of the source was copied: everything it holds is at risk.
        return new Measure(by, sourceStart, Math.max(0, sourceEnd - sourceStart), null, false);
      default:
        long next = copy.next();
        return new Measure(
            by, next, Math.max(0, sourceEnd - Math.max(next, sourceStart)), null, next > sourceEnd);
    }
  }
}
