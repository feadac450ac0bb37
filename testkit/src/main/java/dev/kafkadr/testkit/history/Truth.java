package dev.kafkadr.testkit.history;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The truth about a copy at any instant T, from a history alone: how many acknowledged records were
 * certainly not on the copy at T, and how old the oldest of them was.
 *
 * <p>The copy's reader ({@link CopyReader}) read every record of the copy and sampled the copy's
 * end offsets, noting when each sample was asked for. The first sample asked at or after T bounds
 * from above what the copy held at T: a record below that sample's end may have arrived a little
 * after T, never a record above it before. So {@code low(T)} = records acknowledged by T whose copy
 * lies at or above that end (or that were never copied) is a lower bound of the acknowledged
 * records not on the copy at T; its error is at most what was copied between T and that sample (ε,
 * printed with each answer). A partition not yet covered by a sample counts as copied (the bound
 * stays a lower bound).
 */
public final class Truth {

  private final long[] acked;
  private final long[] sent;
  private final int[] coveredFrom;
  private final long[] sampledAt;
  private final long acknowledgedTotal;

  Truth(History history, ReadLog copy) {
    int samples = copy.samples();
    sampledAt = new long[samples];
    for (int s = 0; s < samples; s++) {
      sampledAt[s] = copy.sampledAt(s);
    }
    // Where each record of the run was first read on the copy.
    Map<Long, long[]> firstRead = new HashMap<>();
    for (int i = 0; i < copy.count(); i++) {
      firstRead.putIfAbsent(copy.id(i), new long[] {copy.where(i), copy.offset(i)});
    }
    Map<Long, long[]> endsByPlace = new HashMap<>();
    int count = 0;
    for (ProducerLog p : history.producers()) {
      for (int seq = 0; seq < p.count(); seq++) {
        count += p.outcome(seq) == Outcome.ACKED ? 1 : 0;
      }
    }
    acked = new long[count];
    sent = new long[count];
    coveredFrom = new int[count];
    int i = 0;
    for (ProducerLog p : history.producers()) {
      for (int seq = 0; seq < p.count(); seq++) {
        if (p.outcome(seq) != Outcome.ACKED) {
          continue;
        }
        acked[i] = p.doneAt(seq);
        sent[i] = p.sentAt(seq);
        long[] read = firstRead.get(History.id(p.index(), seq));
        coveredFrom[i] =
            read == null
                ? Integer.MAX_VALUE
                : firstCovering(
                    endsByPlace.computeIfAbsent(
                        Places.topicPartition(read[0]), place -> ends(copy, place, samples)),
                    read[1]);
        i++;
      }
    }
    acknowledgedTotal = count;
  }

  /** A partition's end in every sample; before the sample first covered it, Long.MAX_VALUE. */
  private static long[] ends(ReadLog copy, long place, int samples) {
    long[] out = new long[samples];
    for (int s = 0; s < samples; s++) {
      long end = copy.sampledEnd(place, s);
      out[s] = end < 0 ? Long.MAX_VALUE : end;
    }
    return out;
  }

  /**
   * The first sample whose end lies past {@code offset}: from then on the record was on the copy.
   */
  private static int firstCovering(long[] ends, long offset) {
    if (ends.length == 0) {
      return Integer.MAX_VALUE;
    }
    if (ends[0] > offset) {
      return 0;
    }
    // After the uncovered prefix (none here: ends[0] is a real end) ends never shrink.
    int lo = 0;
    int hi = ends.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ends[mid] > offset) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo == ends.length ? Integer.MAX_VALUE : lo;
  }

  /**
   * The lower bound at {@code micros}.
   *
   * @param at the instant T (microseconds since the epoch)
   * @param records acknowledged by T and certainly not on the copy at T
   * @param oldestSeconds age at T of the oldest of them (from its send time), 0 when none
   * @param acknowledged records acknowledged by T
   * @param epsilonMicros time from T to the end sample that bounds the copy (the bound's slack)
   */
  public record Low(
      long at, long records, double oldestSeconds, long acknowledged, long epsilonMicros) {}

  /**
   * The lower bound at {@code micros}.
   *
   * @throws IllegalStateException when no end sample was asked for at or after that instant
   */
  public Low at(long micros) {
    int s = Arrays.binarySearch(sampledAt, micros);
    if (s < 0) {
      s = -s - 1;
    }
    if (s >= sampledAt.length) {
      throw new IllegalStateException(
          "no end sample of the copy at or after " + Micros.toInstant(micros));
    }
    long records = 0;
    long ackedBy = 0;
    long oldest = Long.MAX_VALUE;
    for (int i = 0; i < acked.length; i++) {
      if (acked[i] <= micros) {
        ackedBy++;
        if (coveredFrom[i] > s) {
          records++;
          oldest = Math.min(oldest, sent[i]);
        }
      }
    }
    double age = records == 0 ? 0 : Math.max(0, (micros - oldest) / 1e6);
    return new Low(micros, records, age, ackedBy, sampledAt[s] - micros);
  }

  /** Records acknowledged in the whole history. */
  public long acknowledged() {
    return acknowledgedTotal;
  }
}
