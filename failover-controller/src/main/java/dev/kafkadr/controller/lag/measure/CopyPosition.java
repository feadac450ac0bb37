package dev.kafkadr.controller.lag.measure;

/**
 * What a copy tells about one source partition, read before the source itself (at t1 of a scan):
 * the first source offset not yet on the copy, and how that was found, or why it could not be.
 *
 * @param kind how the position was found
 * @param next the first source offset not copied by t1; -1 when {@code kind} is {@link
 *     Kind#UNKNOWN}, {@link Kind#NO_COPY}, {@link Kind#EMPTY_COPY} or {@link
 *     Kind#OLDER_INCARNATION} (the source's log start then)
 * @param copyEnd the copy partition's end offset at t1, -1 when there is none or it is unknown
 * @param reason why it is unknown; for {@link Kind#CONNECTOR_OFFSETS}, why the copy could not tell
 *     (kept as the partition's note); otherwise null
 */
public record CopyPosition(Kind kind, long next, long copyEnd, String reason) {

  /** How a copy position was found; the names are the API's {@code measuredBy}. */
  public enum Kind {
    /** The newest copied record's provenance header names its source offset: exact. */
    PROVENANCE("provenance"),
    /**
     * The flow's source connector's committed offset in Connect (the copy holds no record from this
     * source to tell): Connect commits periodically, so at most one commit interval behind.
     */
    CONNECTOR_OFFSETS("connector-offsets"),
    /** The copy partition does not exist (the target's metadata answered completely). */
    NO_COPY("no-copy"),
    /** The copy partition exists and never held a record (its end offset is 0). */
    EMPTY_COPY("empty-copy"),
    /**
     * The copy's newest record came from an earlier incarnation of the source topic (deleted and
     * created again): the source holds another record, or none, at its offset now. Nothing of the
     * current incarnation is copied.
     */
    OLDER_INCARNATION("older-incarnation"),
    /** A read failed or timed out: no figure. */
    UNKNOWN("unknown");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The API's name for it. */
    public String label() {
      return label;
    }
  }

  /** Copied up to {@code lastCopied} (a source offset), the copy ending at {@code copyEnd}. */
  public static CopyPosition provenance(long lastCopied, long copyEnd) {
    return new CopyPosition(Kind.PROVENANCE, lastCopied + 1, copyEnd, null);
  }

  /** The source connector's committed position: {@code next} is the next offset it copies. */
  public static CopyPosition connectorOffsets(long next, long copyEnd) {
    return connectorOffsets(next, copyEnd, null);
  }

  /** The same, with why the copy could not tell ({@code why}, null when not said). */
  public static CopyPosition connectorOffsets(long next, long copyEnd, String why) {
    return new CopyPosition(Kind.CONNECTOR_OFFSETS, next, copyEnd, why);
  }

  /** No copy partition on the target. */
  public static CopyPosition noCopy() {
    return new CopyPosition(Kind.NO_COPY, -1, -1, null);
  }

  /** A copy partition that never held a record. */
  public static CopyPosition emptyCopy() {
    return new CopyPosition(Kind.EMPTY_COPY, -1, 0, null);
  }

  /**
   * The copy holds nothing of the source topic's current incarnation; it ends at {@code copyEnd}.
   */
  public static CopyPosition olderIncarnation(long copyEnd) {
    return new CopyPosition(Kind.OLDER_INCARNATION, -1, copyEnd, null);
  }

  /** Not known, because of {@code reason}. */
  public static CopyPosition unknown(String reason, long copyEnd) {
    return new CopyPosition(Kind.UNKNOWN, -1, copyEnd, reason);
  }

  /** Whether the position is known. */
  public boolean known() {
    return kind != Kind.UNKNOWN;
  }
}
