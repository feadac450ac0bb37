package dev.kafkadr.controller.drill;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A verify drill's comparison of one source partition's committed records in [from, cut) with their
 * copies, matched by the provenance source offset each copy carries ({@link RecordDigest} compares
 * them). Fed the source's records first ({@link #source}), then every copy whose provenance falls
 * in the range ({@link #copy}), in copy order.
 *
 * <p>By offset (a topic that is not compacted): every record the source holds must have a copy with
 * the same digest; a copy of an offset already matched is a duplicate, compared too; a copy of an
 * offset the source does not hold (an aborted transaction's record copied at least once, a record
 * since deleted) is counted apart. Latest per key (a compacted topic, whose copy is compacted too
 * and keeps only each key's newest record): for every key, the copy's newest record of it in the
 * range must be the source's newest, same offset and digest; duplicates are not counted.
 */
public final class Completeness {

  /** At most this many offsets are compared at once (8 bytes each). */
  public static final int MAX_RANGE = 8_000_000;

  private final long from;
  private final long cut;
  private final boolean latestPerKey;
  private final long[] digests;
  private final BitSet present;
  private final BitSet copied;
  private final Map<ByteBuffer, long[]> sourceLatest = new HashMap<>();
  private final Map<ByteBuffer, long[]> copyLatest = new HashMap<>();
  private long duplicates;
  private long duplicatesDiffering;
  private long notOnSource;
  private long copiedBack;
  private long copyStartsAt = -1;
  private long differs;
  private long firstDifferingSource = -1;
  private long firstDifferingCopy = -1;

  /**
   * @param from the first source offset compared
   * @param cut the source offset compared up to, exclusive (the LSO when the drill began)
   * @param latestPerKey whether the topic is compacted
   * @throws IllegalArgumentException for a range longer than {@link #MAX_RANGE}
   */
  public Completeness(long from, long cut, boolean latestPerKey) {
    if (cut - from > MAX_RANGE || cut < from) {
      throw new IllegalArgumentException(
          "range [" + from + ", " + cut + ") is not 0 to " + MAX_RANGE + " offsets long");
    }
    this.from = from;
    this.cut = cut;
    this.latestPerKey = latestPerKey;
    this.digests = new long[latestPerKey ? 0 : (int) (cut - from)];
    this.present = new BitSet();
    this.copied = new BitSet();
  }

  /** Whether {@code sourceOffset} lies in the compared range. */
  public boolean covers(long sourceOffset) {
    return sourceOffset >= from && sourceOffset < cut;
  }

  /** A committed source record in the range, in offset order. */
  public void source(long offset, byte[] key, long digest) {
    int i = (int) (offset - from);
    present.set(i);
    if (latestPerKey) {
      sourceLatest.put(key(key), new long[] {offset, digest});
    } else {
      digests[i] = digest;
    }
  }

  /**
   * A source record in the range that is itself a copy from the copy cluster: written there while
   * the tenant was away and copied back by the reverse flow. Its original is on the copy cluster,
   * not a copy of it: it is counted apart ({@link Result#copiedBack}), not compared; for a
   * compacted topic, its key's latest value is the copy cluster's own and the key is not compared
   * either.
   */
  public void copiedBack(byte[] key) {
    copiedBack++;
    if (latestPerKey) {
      sourceLatest.remove(key(key));
    }
  }

  /**
   * The copy's log starts at the copy of {@code sourceOffset}: its earlier records were deleted by
   * the copy's own retention (its log start is past 0). Source records before it that have no copy
   * are counted as {@link Result#expiredOnCopy}, not as not yet copied: they were copied (the copy
   * log moved past them) and are gone, which no comparison can verify.
   */
  public void copyLogStartsAt(long sourceOffset) {
    copyStartsAt = sourceOffset;
  }

  /** A copy whose provenance names {@code sourceOffset} in the range, in copy order. */
  public void copy(long copyOffset, long sourceOffset, byte[] key, long digest) {
    int i = (int) (sourceOffset - from);
    if (latestPerKey) {
      long[] had = copyLatest.get(key(key));
      if (had == null || had[0] <= sourceOffset) {
        copyLatest.put(key(key), new long[] {sourceOffset, digest, copyOffset});
      }
      return;
    }
    if (!present.get(i)) {
      notOnSource++;
      return;
    }
    boolean same = digests[i] == digest;
    if (copied.get(i)) {
      duplicates++;
      if (!same) {
        duplicatesDiffering++;
        differing(sourceOffset, copyOffset);
      }
      return;
    }
    copied.set(i);
    if (!same) {
      differs++;
      differing(sourceOffset, copyOffset);
    }
  }

  private void differing(long sourceOffset, long copyOffset) {
    if (firstDifferingSource < 0 || sourceOffset < firstDifferingSource) {
      firstDifferingSource = sourceOffset;
      firstDifferingCopy = copyOffset;
    }
  }

  /** The comparison's figures. */
  public Result result() {
    MessageDigest range = RecordDigest.sha256();
    ByteBuffer pair = ByteBuffer.allocate(16);
    if (latestPerKey) {
      return latestPerKeyResult(range, pair);
    }
    long notCopied = 0;
    long firstNotCopied = -1;
    long expired = 0;
    for (int i = present.nextSetBit(0); i >= 0; i = present.nextSetBit(i + 1)) {
      range.update(pair.putLong(0, from + i).putLong(8, digests[i]).array());
      if (!copied.get(i) && from + i < copyStartsAt) {
        expired++;
      } else if (!copied.get(i)) {
        notCopied++;
        if (firstNotCopied < 0) {
          firstNotCopied = from + i;
        }
      }
    }
    return new Result(
        from,
        cut,
        "by offset",
        present.cardinality(),
        present.cardinality() - notCopied - differs - expired,
        notCopied,
        firstNotCopied,
        differs,
        firstDifferingSource,
        firstDifferingCopy,
        duplicates,
        duplicatesDiffering,
        notOnSource,
        copiedBack,
        expired,
        HexFormat.of().formatHex(range.digest()));
  }

  private Result latestPerKeyResult(MessageDigest range, ByteBuffer pair) {
    long notCopied = 0;
    long firstNotCopied = -1;
    Set<ByteBuffer> keys = new HashSet<>(sourceLatest.keySet());
    long[][] sorted =
        sourceLatest.entrySet().stream()
            .map(e -> new long[] {e.getValue()[0], e.getValue()[1]})
            .sorted((a, b) -> Long.compare(a[0], b[0]))
            .toArray(long[][]::new);
    for (long[] s : sorted) {
      range.update(pair.putLong(0, s[0]).putLong(8, s[1]).array());
    }
    for (ByteBuffer k : keys) {
      long[] s = sourceLatest.get(k);
      long[] c = copyLatest.get(k);
      if (c == null || c[0] < s[0]) {
        notCopied++;
        firstNotCopied = firstNotCopied < 0 ? s[0] : Math.min(firstNotCopied, s[0]);
      } else if (c[0] != s[0] || c[1] != s[1]) {
        differs++;
        differing(s[0], c[2]);
      }
    }
    return new Result(
        from,
        cut,
        "latest value per key (compacted)",
        keys.size(),
        keys.size() - notCopied - differs,
        notCopied,
        firstNotCopied,
        differs,
        firstDifferingSource,
        firstDifferingCopy,
        0,
        0,
        0,
        copiedBack,
        0,
        HexFormat.of().formatHex(range.digest()));
  }

  private static ByteBuffer key(byte[] key) {
    return key == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(key);
  }

  /**
   * What one range compared.
   *
   * @param compared {@code by offset}, or {@code latest value per key (compacted)}
   * @param sourceRecords committed source records in the range (keys, for latest per key)
   * @param matched of them, those whose copy has the same digest
   * @param notYetCopied of them, those with no copy; the first's offset in {@code firstNotCopied}
   * @param differs of them, those whose copy differs; the first's source and copy offset given
   * @param duplicates further copies of a matched offset; {@code duplicatesDiffering} of them
   *     differ from their source record (counted in the first differing offset too)
   * @param notOnSource copies of offsets in the range the source does not hold (aborted, deleted)
   * @param copiedBack source records that are copies from the copy cluster ({@link #copiedBack}),
   *     not compared
   * @param expiredOnCopy source records with no copy, older than the copy's log start ({@link
   *     #copyLogStartsAt}): deleted by the copy's retention, not verifiable; not counted as not yet
   *     copied
   * @param rangeSha256 SHA-256 over the source records' offsets and digests, in offset order
   */
  public record Result(
      long from,
      long cut,
      String compared,
      long sourceRecords,
      long matched,
      long notYetCopied,
      long firstNotCopied,
      long differs,
      long firstDifferingSourceOffset,
      long firstDifferingCopyOffset,
      long duplicates,
      long duplicatesDiffering,
      long notOnSource,
      long copiedBack,
      long expiredOnCopy,
      String rangeSha256) {

    /** Whether nothing is missing or differs ({@code duplicatesAllowed}: at-least-once). */
    public boolean passed(boolean duplicatesAllowed) {
      return notYetCopied == 0
          && differs == 0
          && duplicatesDiffering == 0
          && (duplicatesAllowed || duplicates == 0);
    }

    /** The figures as a JSON object's fields. */
    public Map<String, Object> toMap() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("from", from);
      out.put("cut", cut);
      out.put("compared", compared);
      out.put("sourceRecords", sourceRecords);
      out.put("matched", matched);
      out.put("notYetCopied", notYetCopied);
      out.put("firstNotCopied", firstNotCopied);
      out.put("differs", differs);
      out.put("firstDifferingSourceOffset", firstDifferingSourceOffset);
      out.put("firstDifferingCopyOffset", firstDifferingCopyOffset);
      out.put("duplicates", duplicates);
      out.put("duplicatesDiffering", duplicatesDiffering);
      out.put("notOnSource", notOnSource);
      out.put("copiedBack", copiedBack);
      out.put("expiredOnCopy", expiredOnCopy);
      out.put("rangeSha256", rangeSha256);
      return out;
    }
  }
}
